package dev.resnetdsl.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import org.junit.jupiter.api.Test;

/**
 * Found by fuzzing the ONNX weight importer: a tensor's shape was trusted before its data was looked at, so a few
 * bytes declaring a huge shape allocated gigabytes (or threw ArithmeticException past 2^31 elements).
 */
class TensorProtosTest {
    private static TensorProto floats(long[] dims, int rawBytes) {
        TensorProto.Builder b = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            b.addDims(d);
        }
        return b.setRawData(ByteString.copyFrom(new byte[rawBytes])).build();
    }

    @Test
    void aHugeShapeWithLittleDataIsRefusedBeforeAllocating() {
        // 2^31 - 16 floats would be 8 GB: refused because 4 bytes of data cannot fill it.
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TensorProtos.fromProto(floats(new long[] {Integer.MAX_VALUE - 16}, 4)));
        assertEquals("tensor 'w' has 4 bytes of raw data, its shape needs 8589934524", e.getMessage());
    }

    @Test
    void moreElementsThanAnArrayHoldsIsAnIllegalArgument() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TensorProtos.fromProto(floats(new long[] {3, 1L << 30}, 4)));
        assertEquals(
                "tensor 'w' shape [3, 1073741824] has 3221225472 elements, more than one array holds", e.getMessage());
    }

    @Test
    void int64ValuesAreCheckedAgainstTheShapeFirstToo() {
        TensorProto p = TensorProto.newBuilder()
                .setName("n")
                .setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(Integer.MAX_VALUE - 16)
                .addInt64Data(1)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorProtos.fromProto(p));
        assertEquals("tensor 'n' has 1 values, its shape needs 2147483631", e.getMessage());
    }
}
