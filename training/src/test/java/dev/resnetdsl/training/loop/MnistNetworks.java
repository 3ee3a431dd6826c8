package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.testing.TorchvisionNets;

/** Small residual networks for 1×28×28 digits, built directly (the runtime cannot read specs); the layout is {@link TorchvisionNets#cifarStyle}. */
final class MnistNetworks {
    private MnistNetworks() {}

    /**
     * The CIFAR ResNet layout for MNIST with {@code blocks} basic blocks per stage and the given widths;
     * option-A shortcuts, torchvision names. {@code blocks = 3}, widths 16/32/64 is ResNet-20.
     */
    static Network resnet(String name, int blocks, int... widths) {
        return TorchvisionNets.cifarStyle(name, 1, 28, 28, blocks, widths);
    }
}
