/**
 * Gauges that come from the database rather than from events: queue depth and age, held mail, services by
 * status. One worker's view is every worker's view (they share the database), so dashboards take the
 * maximum across instances, not the sum. No label carries a service id or an address.
 */
package io.mailroom.worker.monitoring;
