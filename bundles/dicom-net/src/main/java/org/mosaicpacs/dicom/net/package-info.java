/**
 * The DICOM upper layer service (PS3.8): configuration after the PS3.15 Annex H model ({@link
 * org.mosaicpacs.dicom.net.Device}, {@link org.mosaicpacs.dicom.net.ApplicationEntity}, {@link
 * org.mosaicpacs.dicom.net.Connection}, {@link org.mosaicpacs.dicom.net.TransferCapability}),
 * association negotiation ({@link org.mosaicpacs.dicom.net.AssociationAcceptor}) and the association
 * state machine ({@link org.mosaicpacs.dicom.net.Association}, {@link org.mosaicpacs.dicom.net.State}).
 *
 * <p>Threads are never created here: the caller passes an {@link java.util.concurrent.Executor} and a
 * {@link java.util.concurrent.ScheduledExecutorService}.
 */
@Version("0.4.0")
package org.mosaicpacs.dicom.net;

import org.osgi.annotation.versioning.Version;
