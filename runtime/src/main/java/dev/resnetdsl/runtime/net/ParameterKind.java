package dev.resnetdsl.runtime.net;

/** What a named parameter tensor is; decides its initialisation and whether it is trained. */
public enum ParameterKind {
    CONV_WEIGHT(true),
    BN_WEIGHT(true),
    BN_BIAS(true),
    BN_RUNNING_MEAN(false),
    BN_RUNNING_VAR(false),
    FC_WEIGHT(true),
    FC_BIAS(true);

    private final boolean trainable;

    ParameterKind(boolean trainable) {
        this.trainable = trainable;
    }

    /** True for weights that gradient descent updates; false for BN running statistics. */
    public boolean trainable() {
        return trainable;
    }
}
