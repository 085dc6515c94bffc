/**
 * Pixel data of DICOM images: frames decoded to integer rasters ({@link org.mosaicpacs.dicom.image.PixelDataDecoder}),
 * rendered to 8-bit images for display ({@link org.mosaicpacs.dicom.image.Renderer}), written as JPEG or PNG
 * ({@link org.mosaicpacs.dicom.image.ImageEncoder}), and encapsulated data sets decompressed to Explicit VR
 * Little Endian ({@link org.mosaicpacs.dicom.image.Decompressor}).
 */
@Version("0.2.0")
package org.mosaicpacs.dicom.image;

import org.osgi.annotation.versioning.Version;
