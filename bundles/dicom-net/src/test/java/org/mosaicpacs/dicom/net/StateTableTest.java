package org.mosaicpacs.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StateTableTest {

    @Test
    void everyReceivedPduHasAnActionOnceTheTransportIsOpen() {
        EnumSet<Event> received = EnumSet.of(Event.Evt3, Event.Evt4, Event.Evt6, Event.Evt10, Event.Evt12,
                Event.Evt13, Event.Evt16, Event.Evt17, Event.Evt19);
        for (State s : State.values()) {
            if (s == State.Sta1 || s == State.Sta4) {
                continue;
            }
            for (Event e : received) {
                assertNotNull(StateTable.action(s, e), s + " " + e);
            }
        }
    }

    @Test
    void spotChecksAgainstPs38Table910() {
        assertEquals(Action.AE_1, StateTable.action(State.Sta1, Event.Evt1));
        assertEquals(Action.AE_6, StateTable.action(State.Sta2, Event.Evt6));
        assertEquals(Action.DT_2, StateTable.action(State.Sta6, Event.Evt10));
        assertEquals(Action.AR_6, StateTable.action(State.Sta7, Event.Evt10));
        assertEquals(Action.AR_8, StateTable.action(State.Sta7, Event.Evt12));
        assertEquals(State.Sta9, Action.AR_8.next(true));
        assertEquals(State.Sta10, Action.AR_8.next(false));
        assertEquals(Action.AR_9, StateTable.action(State.Sta9, Event.Evt14));
        assertEquals(Action.AR_10, StateTable.action(State.Sta10, Event.Evt13));
        assertEquals(Action.AR_3, StateTable.action(State.Sta11, Event.Evt13));
        assertEquals(Action.AR_4, StateTable.action(State.Sta12, Event.Evt14));
        assertEquals(Action.AR_7, StateTable.action(State.Sta8, Event.Evt9));
        assertEquals(Action.AA_2, StateTable.action(State.Sta13, Event.Evt18));
        assertEquals(Action.AR_5, StateTable.action(State.Sta13, Event.Evt17));
        assertEquals(Action.AA_7, StateTable.action(State.Sta13, Event.Evt6));
        assertNull(StateTable.action(State.Sta7, Event.Evt9), "no P-DATA after our A-RELEASE-RQ");
        assertEquals("AR-10", Action.AR_10.ps38Name());
    }
}
