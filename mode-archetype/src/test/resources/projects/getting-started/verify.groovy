// After `mvn verify` of the generated project: run its jar as a user would (java -jar), wait for the
// first greeting, stop it with SIGTERM as Ctrl-C or a service manager does, and expect exit code 0.
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

// maven-script-interpreter 1.5 does not bind the archetype plugin's projectDir: find the generated
// project from the build's root directory then
def projectDir = binding.hasVariable('projectDir') ? binding.getVariable('projectDir') : new File(
    System.getProperty('maven.multiModuleProjectDirectory'),
    'mode-archetype/target/test-classes/projects/getting-started/project/getting-started')
def javaBin = new File(System.getProperty('java.home'), 'bin/java').path
def jar = new File(projectDir, 'target/getting-started.jar')
assert jar.isFile() : "missing ${jar}"

def process = new ProcessBuilder(javaBin, '-jar', jar.path).directory(projectDir).redirectErrorStream(true).start()
def output = new StringBuffer()
def greeted = new CountDownLatch(1)
def reader = Thread.start {
  process.inputStream.newReader('UTF-8').eachLine { line ->
    output.append(line).append('\n')
    if (line.contains('Hello from Mode for Java')) greeted.countDown()
  }
}
try {
  long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60)
  while (!greeted.await(1, TimeUnit.SECONDS) && process.isAlive() && System.nanoTime() < deadline) {}
  assert greeted.count == 0 : "java -jar ${jar}: no greeting within 60 s:\n${output}"
} finally {
  process.destroy() // SIGTERM
}
assert process.waitFor(60, TimeUnit.SECONDS) : "java -jar ${jar}: still running 60 s after SIGTERM:\n${output}"
reader.join(10000)
assert process.exitValue() == 0 : "java -jar ${jar}: exit code ${process.exitValue()} after SIGTERM:\n${output}"
println "java -jar ${jar.name}: greeted, stopped on SIGTERM, exit code 0"
return true
