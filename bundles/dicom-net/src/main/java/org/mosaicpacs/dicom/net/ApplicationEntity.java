package org.mosaicpacs.dicom.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A network application entity of a device (PS3.15 Annex H "Network AE"): its AE title, the calling
 * AE titles it accepts and its transfer capabilities. A plain mutable configuration object.
 */
public final class ApplicationEntity {

    private final String aeTitle;
    private final Set<String> acceptedCallingAETitles = new LinkedHashSet<>();
    private final List<TransferCapability> transferCapabilities = new ArrayList<>();
    private int maxOperationsInvoked = 1;
    private int maxOperationsPerformed = 1;
    private volatile Predicate<String> callingAETitlePolicy;

    /** @param aeTitle the AE title, 1..16 characters */
    public ApplicationEntity(String aeTitle) {
        this.aeTitle = Objects.requireNonNull(aeTitle, "aeTitle").strip();
        if (this.aeTitle.isEmpty() || this.aeTitle.length() > 16) {
            throw new IllegalArgumentException("AE title must have 1..16 characters: " + aeTitle);
        }
    }

    /** @return the AE title */
    public String getAETitle() {
        return aeTitle;
    }

    /** @return the accepted calling AE titles; empty means any */
    public Set<String> getAcceptedCallingAETitles() {
        return Collections.unmodifiableSet(acceptedCallingAETitles);
    }

    /** @param titles calling AE titles to accept @return this */
    public ApplicationEntity addAcceptedCallingAETitles(String... titles) {
        Collections.addAll(acceptedCallingAETitles, titles);
        return this;
    }

    /**
     * @param callingAETitle a calling AE title
     * @return whether associations from it are accepted
     */
    public boolean acceptsCallingAETitle(String callingAETitle) {
        Predicate<String> policy = callingAETitlePolicy;
        if (policy != null) {
            return policy.test(callingAETitle);
        }
        return acceptedCallingAETitles.isEmpty() || acceptedCallingAETitles.contains(callingAETitle);
    }

    /**
     * Decides which calling AE titles are accepted, asked for every A-ASSOCIATE-RQ (so it may follow a
     * configuration that changes while the AE listens); when set, it replaces the accepted calling AE titles.
     *
     * @param policy the decision (thread safe, quick), or {@code null} for the accepted calling AE titles
     * @return this
     */
    public ApplicationEntity setCallingAETitlePolicy(Predicate<String> policy) {
        this.callingAETitlePolicy = policy;
        return this;
    }

    /** @return the transfer capabilities */
    public List<TransferCapability> getTransferCapabilities() {
        return Collections.unmodifiableList(transferCapabilities);
    }

    /** @param tc a transfer capability @return this */
    public ApplicationEntity addTransferCapability(TransferCapability tc) {
        transferCapabilities.add(Objects.requireNonNull(tc));
        return this;
    }

    /**
     * @param sopClass a SOP class UID
     * @param role a role
     * @return the matching transfer capability, or {@code null}
     */
    public TransferCapability getTransferCapability(String sopClass, TransferCapability.Role role) {
        for (TransferCapability tc : transferCapabilities) {
            if (tc.sopClass().equals(sopClass) && tc.role() == role) {
                return tc;
            }
        }
        return null;
    }

    /** @return asynchronous operations we invoke at most at a time, 0 unlimited */
    public int getMaxOperationsInvoked() {
        return maxOperationsInvoked;
    }

    /** @param n operations invoked at most, 0 unlimited @return this */
    public ApplicationEntity setMaxOperationsInvoked(int n) {
        this.maxOperationsInvoked = n;
        return this;
    }

    /** @return asynchronous operations we perform at most at a time, 0 unlimited */
    public int getMaxOperationsPerformed() {
        return maxOperationsPerformed;
    }

    /** @param n operations performed at most, 0 unlimited @return this */
    public ApplicationEntity setMaxOperationsPerformed(int n) {
        this.maxOperationsPerformed = n;
        return this;
    }

    @Override
    public String toString() {
        return "ApplicationEntity[" + aeTitle + "]";
    }
}
