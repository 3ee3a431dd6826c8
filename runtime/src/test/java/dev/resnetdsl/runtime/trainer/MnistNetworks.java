package dev.resnetdsl.runtime.trainer;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;

/** Small residual networks for 1×28×28 digits, built directly (the runtime cannot read specs). */
final class MnistNetworks {
    private MnistNetworks() {}

    /**
     * The CIFAR ResNet layout for MNIST with {@code blocks} basic blocks per stage and the given widths;
     * option-A shortcuts, torchvision names. {@code blocks = 3}, widths 16/32/64 is ResNet-20.
     */
    static Network resnet(String name, int blocks, int... widths) {
        NetworkBuilder b = NetworkBuilder.create(name, 1, 28, 28);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), widths[0], 3, 1, 1, 1)));
        int in = widths[0];
        for (int stage = 0; stage < widths.length; stage++) {
            for (int block = 0; block < blocks; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                int width = widths[stage];
                String p = "layer" + (stage + 1) + "." + block;
                Activation h = b.relu(b.batchNorm(p + ".bn1", b.conv(p + ".conv1", x, width, 3, stride, 1, 1)));
                h = b.batchNorm(p + ".bn2", b.conv(p + ".conv2", h, width, 3, 1, 1, 1), true);
                Activation shortcut = stride != 1 || in != width ? b.zeroPadShortcut(p, x, width, stride) : x;
                x = b.relu(b.add(p, h, shortcut));
                in = width;
            }
        }
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), 10));
    }
}
