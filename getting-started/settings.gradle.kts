rootProject.name = "getting-started"
