package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.nets.TinyResNet;
import com.example.testnets.TinyBottleneck;
import org.junit.jupiter.api.Test;

class GeneratedModelsTest {
    @Test
    void mainAndTestModelsBuildTheirNetworks() {
        assertEquals(75_290L, TinyResNet.network().trainableParameterCount());
        assertEquals(TinyResNet.PARAMETERS, TinyResNet.network().trainableParameterCount());
        assertEquals(TinyBottleneck.PARAMETERS, TinyBottleneck.network().trainableParameterCount());
        assertEquals(5, TinyBottleneck.network().classes());
        System.out.println("IT: TinyResNet " + TinyResNet.PARAMETERS + " parameters, TinyBottleneck "
                + TinyBottleneck.PARAMETERS);
    }
}
