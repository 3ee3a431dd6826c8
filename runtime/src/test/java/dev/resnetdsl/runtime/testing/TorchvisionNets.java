package dev.resnetdsl.runtime.testing;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;

/**
 * torchvision's ResNet-18 and the paper's CIFAR ResNet-20 (option A), written out with NetworkBuilder so that
 * runtime tests do not depend on the language. Projection shortcuts are built <em>before</em> the block's
 * main branch, unlike torchvision's forward order, on purpose: importers must not rely on node order.
 */
public final class TorchvisionNets {
    private TorchvisionNets() {}

    /** torchvision {@code resnet18(num_classes)}. */
    public static Network resnet18(int classes) {
        NetworkBuilder b = NetworkBuilder.create("ResNet18", 3, 224, 224);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 64, 7, 2, 3, 1)));
        x = b.maxPool(x, 3, 2, 1);
        int in = 64;
        int[] widths = {64, 128, 256, 512};
        for (int s = 0; s < 4; s++) {
            for (int k = 0; k < 2; k++) {
                String p = "layer" + (s + 1) + "." + k;
                int stride = s > 0 && k == 0 ? 2 : 1;
                int w = widths[s];
                Activation shortcut = x;
                if (stride != 1 || in != w) {
                    shortcut = b.batchNorm(p + ".downsample.1", b.conv(p + ".downsample.0", x, w, 1, stride, 0, 1));
                }
                Activation y = b.relu(b.batchNorm(p + ".bn1", b.conv(p + ".conv1", x, w, 3, stride, 1, 1)));
                y = b.batchNorm(p + ".bn2", b.conv(p + ".conv2", y, w, 3, 1, 1, 1), true);
                x = b.relu(b.add(p, y, shortcut));
                in = w;
            }
        }
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), classes));
    }

    /** The paper's CIFAR-10 ResNet-20 with option-A shortcuts. */
    public static Network cifarResnet20() {
        return cifarStyle("ResNet20", 3, 32, 32, 3, 16, 32, 64);
    }

    /**
     * The paper's CIFAR layout (section 4.2) for any input: a 3×3 stem conv, then one stage per width with
     * {@code blocks} basic blocks each, stride 2 at the first block of every stage but the first, option-A
     * shortcuts, torchvision names, 10 classes. {@code cifarStyle("ResNet20", 3, 32, 32, 3, 16, 32, 64)} is
     * ResNet-20.
     */
    public static Network cifarStyle(String name, int channels, int height, int width, int blocks, int... widths) {
        NetworkBuilder b = NetworkBuilder.create(name, channels, height, width);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), widths[0], 3, 1, 1, 1)));
        int in = widths[0];
        for (int stage = 0; stage < widths.length; stage++) {
            for (int block = 0; block < blocks; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                int w = widths[stage];
                String p = "layer" + (stage + 1) + "." + block;
                Activation y = b.relu(b.batchNorm(p + ".bn1", b.conv(p + ".conv1", x, w, 3, stride, 1, 1)));
                y = b.batchNorm(p + ".bn2", b.conv(p + ".conv2", y, w, 3, 1, 1, 1), true);
                Activation shortcut = stride != 1 || in != w ? b.zeroPadShortcut(p, x, w, stride) : x;
                x = b.relu(b.add(p, y, shortcut));
                in = w;
            }
        }
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), 10));
    }
}
