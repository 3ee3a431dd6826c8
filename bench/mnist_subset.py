#!/usr/bin/env python3
"""Writes the first TRAIN training and TEST test images of an MNIST folder (gzipped IDX) as a new IDX folder.

    mnist_subset.py SRC_DIR DST_DIR TRAIN TEST
"""
import gzip
import os
import struct
import sys

src, dst, train, test = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(dst, exist_ok=True)
for name, n in (("train-images-idx3-ubyte", train), ("train-labels-idx1-ubyte", train),
                ("t10k-images-idx3-ubyte", test), ("t10k-labels-idx1-ubyte", test)):
    with gzip.open(os.path.join(src, name + ".gz"), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * (dims - 1), data[8:4 + 4 * dims]) if dims > 1 else ()
    per = 1
    for d in shape:
        per *= d
    header = struct.pack(">II", magic, min(n, count)) + data[8:4 + 4 * dims]
    body = data[4 + 4 * dims:4 + 4 * dims + min(n, count) * per]
    with gzip.open(os.path.join(dst, name + ".gz"), "wb") as f:
        f.write(header + body)
