package dev.resnetdsl.runtime.net;

import java.util.Locale;

/** Which fan Kaiming-normal initialisation divides by: {@code out·k·k} or {@code (in/groups)·k·k}. */
public enum FanMode {
    /** torchvision's choice for ResNets ({@code mode="fan_out"}). */
    FAN_OUT,
    /** PyTorch's default for {@code kaiming_normal_}. */
    FAN_IN;

    /** {@code fan_out} or {@code fan_in}, as the language and PyTorch spell it. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode spelled {@code fan_out} or {@code fan_in}. */
    public static FanMode parse(String spelling) {
        for (FanMode m : values()) {
            if (m.spelling().equals(spelling)) {
                return m;
            }
        }
        throw new IllegalArgumentException("fan mode must be fan_out or fan_in, not " + spelling);
    }
}
