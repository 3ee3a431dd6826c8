// The build failed in the plugin with the compiler-style message, the source line and a caret.
def log = new File(basedir, 'build.log').text
println log.readLines().findAll { it.contains('[ERROR]') }.take(8).join('\n')
def expected = '[ERROR] src/main/resnet/cifar_nets.resnet:12:23: error: '
assert log.contains(expected) : "positioned message ${expected} missing"
assert log.contains('[ERROR]   stage conv3_x 32 x1 /3')
assert log.contains('[ERROR]                       ^')
assert log.contains('resnet-maven-plugin') && log.contains('BUILD FAILURE')
assert !new File(basedir, 'target/classes').exists() : 'nothing was compiled'
assert !new File(basedir, 'target/generated-sources/resnet/dev').exists() : 'nothing was generated'
true
