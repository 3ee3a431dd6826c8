package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.Versions;
import picocli.CommandLine.IVersionProvider;

/** Reports the toolchain's version and the ONNX Runtime it runs on. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"resnet " + Versions.RESNET_DSL + " (ONNX Runtime " + Versions.ONNX_RUNTIME + ")"};
    }
}
