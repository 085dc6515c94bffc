package org.mosaicpacs.plugin.forward.internal;

import java.io.IOException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code mosaic:forward-retry}: moves failed instances back to the queue, for one destination or all. */
@Service
@Command(scope = "mosaic", name = "forward-retry", description = "Requeues the failed forward instances (of one "
        + "destination, or all) and tries them at once")
public class ForwardRetryCommand implements Action {

    @Reference
    private ForwardPlugin plugin;

    @Argument(index = 0, name = "destination", description = "AE title of a forward destination; none: all")
    @Completion(ForwardDestinationCompleter.class)
    private String destination;

    @Override
    public Object execute() {
        try {
            int n = plugin.retry(destination);
            System.out.println("Requeued " + n + " failed instance(s)" + (destination == null ? "" : " for " + destination));
        } catch (IOException e) {
            System.out.println("Cannot requeue: " + e.getMessage());
        }
        return null;
    }
}
