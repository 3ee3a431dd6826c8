package dev.resnetdsl.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = ResNetCli.class.getPackage().getImplementationVersion();
        return new String[] {"resnet " + (version == null ? "dev" : version)};
    }
}
