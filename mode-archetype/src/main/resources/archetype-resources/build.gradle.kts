plugins {
    application
}

group = "${groupId}"
version = "${version}"

java {
    // Gradle compiles, tests and runs with a JDK 21, whatever JDK runs Gradle itself
    toolchain {
        languageVersion.set(JavaLanguageVersion.of(21))
    }
}

repositories {
    mavenCentral()
    // a Mode for Java snapshot is not on Maven Central: install it into ~/.m2 first
    mavenLocal()
}

dependencies {
    // one version for every Mode for Java module
    implementation(platform("dev.mode:mode-bom:${modeVersion}"))
    implementation("dev.mode:mode-worker")

    testImplementation(platform("org.junit:junit-bom:5.14.4"))
    testImplementation("org.junit.jupiter:junit-jupiter")
    testRuntimeOnly("org.junit.platform:junit-platform-launcher")
    testImplementation("org.assertj:assertj-core:3.27.7")
    testImplementation("org.awaitility:awaitility:4.3.0")
}

application {
    mainClass.set("${package}.Main")
}

tasks.test {
    useJUnitPlatform()
}
