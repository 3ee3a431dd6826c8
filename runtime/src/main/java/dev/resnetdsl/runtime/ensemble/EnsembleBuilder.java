package dev.resnetdsl.runtime.ensemble;

import dev.resnetdsl.runtime.inference.OutputKind;
import dev.resnetdsl.runtime.onnx.GraphBuilder;
import dev.resnetdsl.runtime.onnx.proto.Onnx.AttributeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.OperatorSetIdProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.StringStringEntryProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorShapeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ValueInfoProto;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Combines classifiers into one ONNX model that averages their softmax outputs (the paper's ILSVRC 2015
 * entry averaged six ResNets). The members share the graph input {@code input}; member {@code i}'s
 * initializers, intermediate values and nodes are renamed with the prefix {@code m<i>.} so they stay apart;
 * each member's output goes through {@code Softmax(axis=1)} and the {@code Mean} of those is the output
 * {@code probabilities} [N, classes].
 *
 * <p>Members must each have one float input of the same shape (batch dimension free) and one output of the
 * same number of classes, and use opset 13 or newer of the default domain (Softmax's meaning changed at 13);
 * the ensemble uses the highest member opset.
 */
public final class EnsembleBuilder {
    /** Name of the ensemble's output. */
    public static final String OUTPUT = "probabilities";

    private EnsembleBuilder() {}

    /**
     * Builds the ensemble.
     *
     * @param members the member models
     * @param names how to refer to each member in error messages (e.g. its file name)
     * @throws IllegalArgumentException naming the member that does not fit and how
     */
    public static ModelProto build(List<ModelProto> members, List<String> names) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least two models, got " + members.size());
        }
        int opset = 0;
        List<Long> inputDims = null;
        long classes = -1;
        for (int i = 0; i < members.size(); i++) {
            ModelProto m = members.get(i);
            String who = names.get(i);
            int memberOpset = defaultOpset(m, who);
            if (memberOpset < 13) {
                throw new IllegalArgumentException(who + " uses opset " + memberOpset
                        + "; ensembles need opset 13 or newer (re-export the model at opset 13 or later)");
            }
            opset = Math.max(opset, memberOpset);
            GraphProto g = m.getGraph();
            List<ValueInfoProto> realInputs = realInputs(g);
            if (realInputs.size() != 1 || g.getOutputCount() != 1) {
                throw new IllegalArgumentException(who + " has " + realInputs.size() + " inputs and "
                        + g.getOutputCount() + " outputs; ensemble members need exactly one of each");
            }
            List<Long> dims = dims(realInputs.get(0), who);
            List<Long> out = dims(g.getOutput(0), who);
            if (out.size() != 2) {
                throw new IllegalArgumentException(
                        who + "'s output '" + g.getOutput(0).getName() + "' is not [N, classes]");
            }
            if (inputDims == null) {
                inputDims = dims;
                classes = out.get(1);
            } else {
                if (!dims.subList(1, dims.size()).equals(inputDims.subList(1, inputDims.size()))) {
                    throw new IllegalArgumentException(who + " takes input " + shape(dims) + " but " + names.get(0)
                            + " takes " + shape(inputDims) + "; ensemble members must agree on the input");
                }
                if (out.get(1) != classes) {
                    throw new IllegalArgumentException(who + " has " + out.get(1) + " classes but " + names.get(0)
                            + " has " + classes + "; ensemble members must agree on the classes");
                }
            }
        }

        GraphBuilder b = new GraphBuilder("ensemble");
        Object[] inputShape = new Object[inputDims.size()];
        inputShape[0] = "N";
        for (int d = 1; d < inputShape.length; d++) {
            inputShape[d] = inputDims.get(d);
        }
        b.input("input", dev.resnetdsl.runtime.tensor.DType.F32, inputShape);
        List<String> softmaxes = new ArrayList<>();
        StringBuilder doc = new StringBuilder("Ensemble averaging the softmax of: ");
        for (int i = 0; i < members.size(); i++) {
            String prefix = "m" + i + ".";
            GraphProto g = members.get(i).getGraph();
            String memberInput = realInputs(g).get(0).getName();
            Map<String, String> rename = new HashMap<>();
            rename.put(memberInput, "input");
            rename.put("", "");
            for (TensorProto t : g.getInitializerList()) {
                String name = b.initializer(
                        t.toBuilder().setName(prefix + t.getName()).build());
                rename.put(t.getName(), name);
            }
            for (NodeProto n : g.getNodeList()) {
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.hasG() || a.getGraphsCount() > 0) {
                        throw new IllegalArgumentException(names.get(i) + " has control flow (" + n.getOpType()
                                + "), which ensembles do not support");
                    }
                }
                for (String out : n.getOutputList()) {
                    if (!out.isEmpty()) {
                        rename.put(out, b.reserve(prefix + out));
                    }
                }
            }
            for (NodeProto n : g.getNodeList()) {
                String[] ins = n.getInputList().stream()
                        .map(s -> rename.getOrDefault(s, s))
                        .toArray(String[]::new);
                GraphBuilder.Node node = b.node(n.getOpType(), ins);
                node.name(prefix + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()));
                if (n.hasDomain() && !n.getDomain().isEmpty()) {
                    node.domain(n.getDomain());
                }
                if (n.hasDocString()) {
                    node.doc(n.getDocString());
                }
                for (AttributeProto a : n.getAttributeList()) {
                    node.attr(a);
                }
                for (String out : n.getOutputList()) {
                    node.outputsAlreadyReserved(out.isEmpty() ? "" : rename.get(out));
                }
            }
            String memberOut = rename.get(g.getOutput(0).getName());
            softmaxes.add(b.node("Softmax", memberOut)
                    .name(prefix + "softmax")
                    .attr("axis", 1)
                    .output(prefix + "softmax"));
            doc.append(i == 0 ? "" : ", ").append(names.get(i));
            for (OperatorSetIdProto o : members.get(i).getOpsetImportList()) {
                if (!o.getDomain().isEmpty() && !o.getDomain().equals("ai.onnx")) {
                    b.opsetImport(o.getDomain(), o.getVersion());
                }
            }
        }
        b.node("Mean", softmaxes.toArray(String[]::new)).name("mean").output(OUTPUT, true);
        b.output(OUTPUT, dev.resnetdsl.runtime.tensor.DType.F32, "N", classes);
        b.metadata("ensemble.members", String.join(",", names));
        b.metadata(OutputKind.METADATA_KEY, OutputKind.PROBABILITIES.metadataValue());
        String preprocessing = sharedPreprocessing(members, names);
        if (preprocessing != null) {
            b.metadata(Preprocessing.METADATA_KEY, preprocessing);
        }
        b.modelDoc(doc.toString()).graphDoc(doc.toString());
        return b.model(opset);
    }

    /**
     * The members' common preprocessing description, or null when none has one; members that describe different
     * preprocessing cannot share one input, so that is an error.
     */
    private static String sharedPreprocessing(List<ModelProto> members, List<String> names) {
        String shared = null;
        String owner = null;
        for (int i = 0; i < members.size(); i++) {
            String p = null;
            for (StringStringEntryProto e : members.get(i).getMetadataPropsList()) {
                if (e.getKey().equals(Preprocessing.METADATA_KEY)) {
                    p = e.getValue();
                }
            }
            if (p == null) {
                continue;
            }
            if (shared == null) {
                shared = p;
                owner = names.get(i);
            } else if (!Preprocessing.fromJson(shared).equals(Preprocessing.fromJson(p))) {
                throw new IllegalArgumentException(names.get(i) + " and " + owner
                        + " preprocess their input differently; ensemble members must agree on it");
            }
        }
        return shared;
    }

    private static int defaultOpset(ModelProto m, String who) {
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        throw new IllegalArgumentException(who + " does not import the default ONNX opset");
    }

    /** Graph inputs that are not initializers (old exporters list initializers as inputs too). */
    private static List<ValueInfoProto> realInputs(GraphProto g) {
        Set<String> inits = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.add(t.getName());
        }
        List<ValueInfoProto> result = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!inits.contains(v.getName())) {
                result.add(v);
            }
        }
        return result;
    }

    private static List<Long> dims(ValueInfoProto v, String who) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            throw new IllegalArgumentException(who + "'s '" + v.getName() + "' has no tensor shape");
        }
        if (v.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException(who + "'s '" + v.getName() + "' is not float32");
        }
        List<Long> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d :
                v.getType().getTensorType().getShape().getDimList()) {
            dims.add(d.hasDimValue() ? d.getDimValue() : -1L);
        }
        return dims;
    }

    private static String shape(List<Long> dims) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            s.append(i == 0 ? "" : ", ")
                    .append(dims.get(i) < 0 ? "N" : dims.get(i).toString());
        }
        return s.append(']').toString();
    }
}
