package dev.resnetdsl.runtime.train;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;

/** Networks the training tests build directly with {@link NetworkBuilder}. */
final class TestNetworks {
    private TestNetworks() {}

    /** The paper's CIFAR ResNet-20 with option-A shortcuts, torchvision-style names. */
    static Network cifarResNet20() {
        NetworkBuilder b = NetworkBuilder.create("ResNet20", 3, 32, 32);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 16, 3, 1, 1, 1)));
        int in = 16;
        int[] widths = {16, 32, 64};
        for (int stage = 0; stage < 3; stage++) {
            for (int block = 0; block < 3; block++) {
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
