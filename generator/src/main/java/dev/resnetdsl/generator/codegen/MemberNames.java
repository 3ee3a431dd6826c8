package dev.resnetdsl.generator.codegen;

import com.palantir.javapoet.NameAllocator;
import dev.resnetdsl.grammar.spec.StageSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place where member names of a generated class are chosen. Fixed names are reserved first, so a stage
 * or block method can never take them; everything derived from the spec goes through JavaPoet's
 * {@link NameAllocator}, which turns any string into a unique, valid identifier. Local variable and parameter
 * names are fixed words chosen by the generator and never come from the spec.
 */
final class MemberNames {
    private final NameAllocator allocator = new NameAllocator();
    private final Map<String, String> byTag = new HashMap<>();

    MemberNames() {
        for (String fixed :
                new String[] {"network", "writeTrainingBundle", "classifier", "fineTuning", "stem", "head"}) {
            allocator.newName(fixed, fixed);
        }
    }

    /** The builder method {@code network}. */
    String network() {
        return allocator.get("network");
    }

    /** The method that writes the model's training bundle. */
    String writeTrainingBundle() {
        return allocator.get("writeTrainingBundle");
    }

    /** The method that opens a classifier for a trained model of this network. */
    String classifier() {
        return allocator.get("classifier");
    }

    /** The method that starts fine-tuning this network from pretrained weights. */
    String fineTuning() {
        return allocator.get("fineTuning");
    }

    /** The stem method. */
    String stem() {
        return allocator.get("stem");
    }

    /** The head method. */
    String head() {
        return allocator.get("head");
    }

    /** The method for a stage: its torchvision prefix ({@code layer1}), made unique and valid. */
    String stage(StageSpec stage) {
        return byTag.computeIfAbsent("stage:" + stage.prefix(), tag -> allocator.newName(stage.prefix(), tag));
    }

    /** The method for a block variant ({@code basicBlockWithProjection}). */
    String block(BlockVariant variant) {
        return byTag.computeIfAbsent("block:" + variant, tag -> allocator.newName(variant.methodName(), tag));
    }
}
