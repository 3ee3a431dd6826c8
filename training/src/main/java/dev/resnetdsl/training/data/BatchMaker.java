package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.runtime.tensor.Tensor;

/**
 * Builds batches as a pure function of (epoch, batch index): the training batch {@code b} of epoch
 * {@code e} holds the images at positions {@code [b·B, (b+1)·B)} of {@link EpochOrder#permutation(int)
 * e's permutation}, normalised and augmented with per-sample generators. Being pure, it can run on a
 * background thread and be restarted at any batch with the same result.
 *
 * <p>Training uses whole batches only: the {@code size mod B} images left at the end of an epoch's
 * shuffle are skipped in that epoch (a different few each epoch), which keeps every training step the
 * same shape. Test batches cover every image, the last one possibly smaller.
 *
 * <p>Serializable, so that a data-parallel run can ship each worker its part ({@link #subset}) once.
 */
public final class BatchMaker implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final ImageDataset data;
    private final Normalization normalization;
    private final Augmentation augmentation;
    private final EpochOrder order;
    private final int batchSize;
    /** Output height and width when training images are larger squares to crop from; 0 otherwise. */
    private final int cropHeight;

    private final int cropWidth;

    /**
     * @param order the shuffles, or {@code null} for a fixed sequential order (evaluation)
     */
    public BatchMaker(
            ImageDataset data,
            Normalization normalization,
            Augmentation augmentation,
            EpochOrder order,
            int batchSize) {
        this(data, normalization, augmentation, order, batchSize, 0, 0);
    }

    /**
     * A training batch maker whose images are squares larger than the model's input: each image becomes a
     * {@link RandomResizedCrop} of {@code cropHeight × cropWidth} before normalisation.
     */
    public static BatchMaker randomCrops(
            ImageDataset data,
            Normalization normalization,
            EpochOrder order,
            int batchSize,
            int cropHeight,
            int cropWidth) {
        return new BatchMaker(data, normalization, Augmentation.NONE, order, batchSize, cropHeight, cropWidth);
    }

    private BatchMaker(
            ImageDataset data,
            Normalization normalization,
            Augmentation augmentation,
            EpochOrder order,
            int batchSize,
            int cropHeight,
            int cropWidth) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        if (order != null && data.size() < batchSize) {
            throw new IllegalArgumentException(
                    data.description() + " has " + data.size() + " images, fewer than one batch of " + batchSize);
        }
        if (order != null && order.size() != data.size()) {
            throw new IllegalArgumentException("order is for " + order.size() + " images, data has " + data.size());
        }
        if (cropHeight > 0) {
            if (order == null) {
                throw new IllegalArgumentException("random crops are for training batches");
            }
            normalization.requireFits(data.channels(), cropHeight, cropWidth);
        } else {
            normalization.requireFits(data.channels(), data.height(), data.width());
        }
        this.cropHeight = cropHeight;
        this.cropWidth = cropWidth;
        this.data = data;
        this.normalization = normalization;
        this.augmentation = augmentation;
        this.order = order;
        this.batchSize = batchSize;
    }

    /** Batches per epoch: whole batches when shuffling (training), all images otherwise. */
    public int batchesPerEpoch() {
        return order != null ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public ImageDataset data() {
        return data;
    }

    /** The shuffles, or {@code null} for a fixed sequential order (evaluation). */
    public EpochOrder order() {
        return order;
    }

    /**
     * The images at {@code indices} of this maker's data (copied), made into batches of {@code batchSize} in an order
     * of their own seeded by {@code seed}, with this maker's normalisation, augmentation and crops: one worker's
     * share of a data-parallel run.
     */
    public BatchMaker subset(int[] indices, long seed, int batchSize) {
        if (order == null) {
            throw new IllegalStateException("only training batches (shuffled) are shared out between workers");
        }
        ImageDataset part = data.subset(indices);
        return new BatchMaker(
                part, normalization, augmentation, new EpochOrder(seed, part.size()), batchSize, cropHeight, cropWidth);
    }

    /** The permutation used for {@code epoch} (identity when not shuffling). */
    public int[] permutation(int epoch) {
        if (order != null) {
            return order.permutation(epoch);
        }
        int[] identity = new int[data.size()];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        return identity;
    }

    /** Batch {@code index} of {@code epoch}, given that epoch's {@link #permutation}. */
    public Batch make(int epoch, int[] permutation, int index) {
        int first = index * batchSize;
        int n = Math.min(batchSize, data.size() - first);
        if (index < 0 || index >= batchesPerEpoch() || n <= 0) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchesPerEpoch());
        }
        int c = data.channels();
        int h = cropHeight > 0 ? cropHeight : data.height();
        int w = cropHeight > 0 ? cropWidth : data.width();
        int size = c * h * w;
        float[] input = new float[n * size];
        long[] labels = new long[n];
        float[] scratch = new float[size];
        for (int i = 0; i < n; i++) {
            int position = first + i;
            int image = permutation[position];
            labels[i] = data.labels()[image];
            if (cropHeight > 0) {
                byte[] crop = RandomResizedCrop.apply(
                        data.pixels(),
                        image * data.imageSize(),
                        c,
                        data.height(),
                        h,
                        w,
                        order.sampleRandom(epoch, position));
                normalization.apply(crop, 0, c, h * w, input, i * size);
            } else if (augmentation == Augmentation.NONE || order == null) {
                normalization.apply(data.pixels(), image * size, c, h * w, input, i * size);
            } else {
                normalization.apply(data.pixels(), image * size, c, h * w, scratch, 0);
                augmentation.apply(scratch, c, h, w, input, i * size, order.sampleRandom(epoch, position));
            }
        }
        return new Batch(Tensor.ofFloats(new int[] {n, c, h, w}, input), Tensor.ofLongs(new int[] {n}, labels), index);
    }
}
