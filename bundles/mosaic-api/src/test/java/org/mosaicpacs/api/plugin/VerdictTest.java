package org.mosaicpacs.api.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.ingest.IngestResult;

/** A refusal can only carry a failure status, so that nothing refused is ever answered as a success or warning. */
class VerdictTest {

    @Test
    void aRejectionTakesFailureStatusesOnly() {
        for (int failure : new int[] {0xA700, 0xA900, 0xA801, 0xC000, 0xCFFF, 0x0110, 0x0111, 0x0122, 0x0124, 0x0211}) {
            assertEquals(failure, Verdict.reject(failure, "no").status());
        }
        for (int notFailure : new int[] {0x0000, 0x0001, 0x0107, 0x0116, 0xB000, 0xB006, 0xFF00, 0xFF01, 0xFE00}) {
            assertThrows(IllegalArgumentException.class, () -> Verdict.reject(notFailure, "no"),
                    Integer.toHexString(notFailure));
        }
    }

    @Test
    void onlyAPluginsRejectionCarriesAStatus() {
        IngestResult refused = IngestResult.rejectedByPlugin(0xA700, "quota");
        assertEquals(IngestResult.Outcome.REJECTED_BY_PLUGIN, refused.outcome());
        assertEquals(0xA700, refused.status());
        assertEquals(0, IngestResult.of(IngestResult.Outcome.INVALID, "bad").status());
        assertThrows(IllegalArgumentException.class, () -> IngestResult.rejectedByPlugin(0, "no status"));
        assertThrows(IllegalArgumentException.class, () -> new IngestResult(IngestResult.Outcome.STORED, "",
                java.util.Optional.empty(), 0xA700));
    }
}
