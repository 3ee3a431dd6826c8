// Checks the three builds of invoker.properties through their logs and outputs.
def log = new File(basedir, 'build.log').text
def generated = new File(basedir, 'target/generated-sources/resnet/com/example/nets/TinyResNet.java')
assert generated.isFile() : "main class generated into the package of its folder"
assert generated.text.contains('comments = "src/main/resnet/com/example/nets/tiny.resnet"')

def lines = log.readLines().findAll { it.contains('resnet: ') }
println "resnet log lines:\n" + lines.join('\n')
// Build 1 generates both; build 2 finds both up to date; build 3 (new test package) regenerates the test class.
assert lines.size() == 6 : "expected 6 plugin messages, got ${lines.size()}"
assert lines[0].contains('resnet: generated 1 class from 1 spec file in src/main/resnet')
assert lines[1].contains('resnet: generated 1 class from 1 spec file in src/test/resnet')
assert lines[2].contains('resnet: 1 spec file in src/main/resnet up to date')
assert lines[3].contains('resnet: 1 spec file in src/test/resnet up to date')
assert lines[4].contains('resnet: 1 spec file in src/main/resnet up to date')
assert lines[5].contains('resnet: generated 1 class from 1 spec file in src/test/resnet')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
assert log.contains('IT: TinyResNet 75290 parameters')

def testOut = new File(basedir, 'target/generated-test-sources/resnet')
assert new File(testOut, 'com/example/othernets/TinyBottleneck.java').isFile()
assert !new File(testOut, 'com/example/testnets/TinyBottleneck.java').exists() : 'stale class removed'
true
