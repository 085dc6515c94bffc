package org.mosaicpacs.dicom.data;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.RandomAccess;

/**
 * The value of a sequence element (VR SQ): a list of items, each an {@link Attributes} whose parent is
 * the data set holding the sequence. Items inherit the Specific Character Set and the byte order of
 * the parent. Adding an item sets its parent; an item belongs to one sequence at a time.
 */
public final class Sequence extends AbstractList<Attributes> implements RandomAccess {

    private final Attributes parent;
    private final int tag;
    private final ArrayList<Attributes> items;

    Sequence(Attributes parent, int tag, int initialCapacity) {
        this.parent = parent;
        this.tag = tag;
        this.items = new ArrayList<>(Math.max(0, Math.min(initialCapacity, 1024)));
    }

    /** Returns the data set that holds this sequence. */
    public Attributes getParent() {
        return parent;
    }

    /** Returns the tag of the sequence element. */
    public int tag() {
        return tag;
    }

    /** Creates an empty item in the byte order of the parent, appends it and returns it. */
    public Attributes addNewItem() {
        Attributes item = new Attributes(parent.bigEndian());
        add(item);
        return item;
    }

    @Override
    public Attributes get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    /**
     * Inserts an item.
     *
     * @throws IllegalArgumentException if the item's byte order differs from the parent's, or the item
     *     is this sequence's parent or one of its ancestors
     */
    @Override
    public void add(int index, Attributes item) {
        check(item);
        items.add(index, item);
        item.setParent(parent);
    }

    @Override
    public Attributes set(int index, Attributes item) {
        check(item);
        Attributes old = items.set(index, item);
        item.setParent(parent);
        old.setParent(null);
        return old;
    }

    @Override
    public Attributes remove(int index) {
        Attributes old = items.remove(index);
        old.setParent(null);
        return old;
    }

    private void check(Attributes item) {
        if (item.bigEndian() != parent.bigEndian()) {
            throw new IllegalArgumentException("item byte order differs from its parent's");
        }
        for (Attributes a = parent; a != null; a = a.getParent()) {
            if (a == item) {
                throw new IllegalArgumentException("an item cannot contain itself");
            }
        }
    }
}
