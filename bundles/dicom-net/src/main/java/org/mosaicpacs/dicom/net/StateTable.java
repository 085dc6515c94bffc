package org.mosaicpacs.dicom.net;

import static org.mosaicpacs.dicom.net.Action.*;
import static org.mosaicpacs.dicom.net.State.*;

import java.util.EnumMap;
import java.util.Map;

/** The DICOM upper layer state transition table (PS3.8 Table 9-10). */
public final class StateTable {

    private static final Map<Event, Map<State, Action>> TABLE = new EnumMap<>(Event.class);

    private static final State[] STA5_TO_12 = {Sta5, Sta6, Sta7, Sta8, Sta9, Sta10, Sta11, Sta12};
    private static final State[] STA6_TO_12 = {Sta6, Sta7, Sta8, Sta9, Sta10, Sta11, Sta12};

    static {
        put(Event.Evt1, AE_1, Sta1);
        put(Event.Evt2, AE_2, Sta4);
        put(Event.Evt3, AA_1, Sta2);
        put(Event.Evt3, AA_8, Sta3);
        put(Event.Evt3, AE_3, Sta5);
        put(Event.Evt3, AA_8, STA6_TO_12);
        put(Event.Evt3, AA_6, Sta13);
        put(Event.Evt4, AA_1, Sta2);
        put(Event.Evt4, AA_8, Sta3);
        put(Event.Evt4, AE_4, Sta5);
        put(Event.Evt4, AA_8, STA6_TO_12);
        put(Event.Evt4, AA_6, Sta13);
        put(Event.Evt5, AE_5, Sta1);
        put(Event.Evt6, AE_6, Sta2);
        put(Event.Evt6, AA_8, Sta3);
        put(Event.Evt6, AA_8, STA5_TO_12);
        put(Event.Evt6, AA_7, Sta13);
        put(Event.Evt7, AE_7, Sta3);
        put(Event.Evt8, AE_8, Sta3);
        put(Event.Evt9, DT_1, Sta6);
        put(Event.Evt9, AR_7, Sta8);
        put(Event.Evt10, AA_1, Sta2);
        put(Event.Evt10, AA_8, Sta3, Sta5);
        put(Event.Evt10, DT_2, Sta6);
        put(Event.Evt10, AR_6, Sta7);
        put(Event.Evt10, AA_8, Sta8, Sta9, Sta10, Sta11, Sta12);
        put(Event.Evt10, AA_6, Sta13);
        put(Event.Evt11, AR_1, Sta6);
        put(Event.Evt12, AA_1, Sta2);
        put(Event.Evt12, AA_8, Sta3, Sta5);
        put(Event.Evt12, AR_2, Sta6);
        put(Event.Evt12, AR_8, Sta7);
        put(Event.Evt12, AA_8, Sta8, Sta9, Sta10, Sta11, Sta12);
        put(Event.Evt12, AA_6, Sta13);
        put(Event.Evt13, AA_1, Sta2);
        put(Event.Evt13, AA_8, Sta3, Sta5, Sta6);
        put(Event.Evt13, AR_3, Sta7);
        put(Event.Evt13, AA_8, Sta8, Sta9);
        put(Event.Evt13, AR_10, Sta10);
        put(Event.Evt13, AR_3, Sta11);
        put(Event.Evt13, AA_8, Sta12);
        put(Event.Evt13, AA_6, Sta13);
        put(Event.Evt14, AR_4, Sta8);
        put(Event.Evt14, AR_9, Sta9);
        put(Event.Evt14, AR_4, Sta12);
        put(Event.Evt15, AA_1, Sta3);
        put(Event.Evt15, AA_2, Sta4);
        put(Event.Evt15, AA_1, STA5_TO_12);
        put(Event.Evt16, AA_2, Sta2);
        put(Event.Evt16, AA_3, Sta3);
        put(Event.Evt16, AA_3, STA5_TO_12);
        put(Event.Evt16, AA_2, Sta13);
        put(Event.Evt17, AA_5, Sta2);
        put(Event.Evt17, AA_4, Sta3, Sta4);
        put(Event.Evt17, AA_4, STA5_TO_12);
        put(Event.Evt17, AR_5, Sta13);
        put(Event.Evt18, AA_2, Sta2, Sta13);
        put(Event.Evt19, AA_1, Sta2);
        put(Event.Evt19, AA_8, Sta3);
        put(Event.Evt19, AA_8, STA5_TO_12);
        put(Event.Evt19, AA_7, Sta13);
    }

    private StateTable() {
    }

    private static void put(Event event, Action action, State... states) {
        Map<State, Action> row = TABLE.computeIfAbsent(event, e -> new EnumMap<>(State.class));
        for (State s : states) {
            if (row.put(s, action) != null) {
                throw new IllegalStateException("duplicate entry " + event + " " + s);
            }
        }
    }

    /**
     * @param state the current state
     * @param event the event
     * @return the action PS3.8 Table 9-10 prescribes, or {@code null} if the event is not valid in the state
     */
    public static Action action(State state, Event event) {
        return TABLE.get(event).get(state);
    }
}
