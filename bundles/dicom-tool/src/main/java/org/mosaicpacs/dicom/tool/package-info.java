/**
 * The {@code mosaic-dicom} command-line tool: {@link org.mosaicpacs.dicom.tool.Main} dispatches to
 * the verbs of a small registry. Private: nothing is exported.
 */
package org.mosaicpacs.dicom.tool;
