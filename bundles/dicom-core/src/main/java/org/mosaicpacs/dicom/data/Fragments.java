package org.mosaicpacs.dicom.data;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.RandomAccess;

/**
 * The value of an encapsulated element (pixel data of a compressed transfer syntax, PS3.5 A.4): the
 * Basic Offset Table as the first fragment (possibly empty), then the fragments. Each fragment is a
 * {@code byte[]} or a {@link BulkData} reference.
 */
public final class Fragments extends AbstractList<Object> implements RandomAccess {

    private final VR vr;
    private final boolean bigEndian;
    private final ArrayList<Object> fragments;

    /**
     * Creates an empty list of fragments.
     *
     * @param vr OB (usual) or OW
     * @param bigEndian the byte order of the data set
     * @param initialCapacity expected number of fragments
     */
    public Fragments(VR vr, boolean bigEndian, int initialCapacity) {
        this.vr = vr;
        this.bigEndian = bigEndian;
        this.fragments = new ArrayList<>(Math.max(0, Math.min(initialCapacity, 1024)));
    }

    /** Returns the VR of the encapsulated element. */
    public VR vr() {
        return vr;
    }

    /** Returns the byte order of the data set. */
    public boolean bigEndian() {
        return bigEndian;
    }

    @Override
    public Object get(int index) {
        return fragments.get(index);
    }

    @Override
    public int size() {
        return fragments.size();
    }

    /**
     * Inserts a fragment.
     *
     * @param fragment a {@code byte[]} or a {@link BulkData}
     * @throws IllegalArgumentException for any other type
     */
    @Override
    public void add(int index, Object fragment) {
        fragments.add(index, check(fragment));
    }

    @Override
    public Object set(int index, Object fragment) {
        return fragments.set(index, check(fragment));
    }

    @Override
    public Object remove(int index) {
        return fragments.remove(index);
    }

    /** Returns the length of a fragment in bytes. */
    public long lengthOf(int index) {
        Object f = fragments.get(index);
        return f instanceof byte[] ? ((byte[]) f).length : ((BulkData) f).length();
    }

    private static Object check(Object fragment) {
        if (fragment instanceof byte[] || fragment instanceof BulkData) {
            return fragment;
        }
        throw new IllegalArgumentException("fragment must be byte[] or BulkData: " + fragment);
    }
}
