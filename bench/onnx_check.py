#!/usr/bin/python3
"""Runs ONNX's own checker (with shape inference) on models and says what it found.

    /usr/bin/python3 bench/onnx_check.py MODEL.onnx...

Debian's python3-onnx (1.12). Used by the int8 benchmark scripts on the models they quantize; not part of the
build or the tests.
"""
import sys

import onnx

for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    ops = sorted({(n.domain or "ai.onnx") + "." + n.op_type for n in model.graph.node})
    print("onnx.checker (full_check) accepts %s: opset %d, operators %s"
          % (path, model.opset_import[0].version, ", ".join(ops)))
