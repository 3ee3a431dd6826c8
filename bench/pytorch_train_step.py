#!/usr/bin/python3
"""PyTorch CPU training throughput for the side-by-side training benchmark (bench/train.sh).

    /usr/bin/python3 bench/pytorch_train_step.py resnet20|resnet50 BATCH STEPS [WARMUP]

Debian's python3-torch 1.13 / python3-torchvision 0.14: the paper's CIFAR ResNet-20 (option A) at
3x32x32 / 10 classes, or torchvision's ResNet-50 at 3x224x224 / 1000 classes; random data; one step =
forward in training mode, mean cross-entropy, backward, SGD (lr 0.1, momentum 0.9, weight decay 1e-4).
Uses as many threads as CPUs (Debian's torch defaults to 1 here; TORCH_THREADS overrides). Prints one
line with ms/step and images/s. Not part of the build or the tests.
"""
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class Block(nn.Module):
    def __init__(self, i, o, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(i, o, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(o)
        self.conv2 = nn.Conv2d(o, o, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(o)
        self.stride, self.i, self.o = stride, i, o

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        sc = x
        if self.stride != 1 or self.i != self.o:
            sc = F.pad(x[:, :, :: self.stride, :: self.stride], (0, 0, 0, 0, 0, self.o - self.i))
        return F.relu(h + sc)


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, i = [], 16
        for w, s in [(16, 1), (32, 2), (64, 2)]:
            for b in range(3):
                layers.append(Block(i, w, s if b == 0 else 1))
                i = w
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def main():
    name, batch, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    # Debian's torch starts with 1 thread here; use every CPU the process may run on, as ONNX Runtime does
    # (override with TORCH_THREADS).
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", len(os.sched_getaffinity(0)))))
    torch.manual_seed(0)
    if name == "resnet20":
        model, shape, classes = ResNet20(), (3, 32, 32), 10
    else:
        model, shape, classes = torchvision.models.resnet50(), (3, 224, 224), 1000
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(batch, *shape)
    y = torch.randint(0, classes, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    seconds = time.perf_counter() - start
    print(
        "PyTorch %s %s on cpu (%d threads): batch %d, %d steps in %.2f s: %.1f ms/step, %.1f images/s (last loss %.4f)"
        % (torch.__version__, name, torch.get_num_threads(), batch, steps, seconds, 1000 * seconds / steps,
           batch * steps / seconds, loss)
    )


if __name__ == "__main__":
    main()
