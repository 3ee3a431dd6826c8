#!/usr/bin/python3
"""Copies a training bundle's preprocessing (manifest.json) into an exported model's ONNX metadata.

    /usr/bin/python3 bench/record_preprocessing.py BUNDLE_DIR MODEL.onnx

A stop-gap for the int8 benchmarks: `resnet export SPEC --weights BUNDLE/checkpoint.safetensors` writes the
trained weights but not the input pipeline the trainer recorded, and calibration must use the model's own
preprocessing (`resnet.preprocessing`). Exporting the bundle itself (`resnet export BUNDLE_DIR`, the
fine-tuning issue) now records it, and bench/int8-accuracy.sh uses that; this stays because it made api's
test model (api/src/test/resources/quantize/README.md). Needs Debian's python3-onnx. Not part of the build or
the tests.
"""
import json
import sys

import onnx

bundle, model_path = sys.argv[1], sys.argv[2]
with open(bundle + "/manifest.json") as f:
    preprocessing = json.load(f)["preprocessing"]
model = onnx.load(model_path)
kept = [p for p in model.metadata_props if p.key != "resnet.preprocessing"]
del model.metadata_props[:]
model.metadata_props.extend(kept)
entry = model.metadata_props.add()
entry.key = "resnet.preprocessing"
entry.value = json.dumps(preprocessing, separators=(",", ":"))
onnx.save(model, model_path)
print("recorded", bundle + "/manifest.json preprocessing in", model_path)
