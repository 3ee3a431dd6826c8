package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;

/**
 * A quantized model and what it is made of.
 *
 * @param model the int8 ONNX model (float input and output, like the model it came from)
 * @param report which layers run in int8
 * @param record how it was quantized (also in the model's metadata)
 */
public record QuantizedModel(ModelProto model, Int8Report report, QuantizationRecord record) {}
