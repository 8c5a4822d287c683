package org.opensearch.cliphybrid.harvest;

import org.opensearch.test.OpenSearchTestCase;

import java.util.ArrayList;
import java.util.List;

public class HostPacerTests extends OpenSearchTestCase {

    public void testWaitsOnlyForTheSameHostAndOnlyWhatIsLeft() throws InterruptedException {
        long[] now = { 1000 };
        List<Long> sleeps = new ArrayList<>();
        HostPacer pacer = new HostPacer(500, () -> now[0], ms -> {
            sleeps.add(ms);
            now[0] += ms;
        });
        pacer.awaitTurn("a");
        pacer.done("a");
        pacer.awaitTurn("b");
        pacer.done("b");
        assertEquals(List.of(), sleeps);
        now[0] += 200;
        pacer.awaitTurn("a");
        assertEquals(List.of(300L), sleeps);
        pacer.done("a");
        now[0] += 600;
        pacer.awaitTurn("a");
        assertEquals(List.of(300L), sleeps);
    }
}
