// Copies samples/resnet-plugin-sample here (sampleDirectory comes from the invoker configuration) and puts a
// stride of 3, which the language refuses, into the sample's spec.
import java.nio.file.*

def sample = Paths.get(sampleDirectory)
def here = basedir.toPath()
Files.copy(sample.resolve('pom.xml'), here.resolve('pom.xml'), StandardCopyOption.REPLACE_EXISTING)
def src = sample.resolve('src')
Files.walk(src).forEach { p ->
    def target = here.resolve('src').resolve(src.relativize(p).toString())
    if (Files.isDirectory(p)) {
        Files.createDirectories(target)
    } else {
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING)
    }
}
def spec = here.resolve('src/main/resnet/cifar_nets.resnet')
def text = new String(Files.readAllBytes(spec), 'UTF-8')
def broken = text.replaceFirst('stage conv3_x 32 x1 /2', 'stage conv3_x 32 x1 /3')
assert broken != text : 'the sample spec changed; update this IT'
Files.write(spec, broken.getBytes('UTF-8'))
true
