/**
 * Mailroom's public wire contract: the messages on {@link io.mailroom.contracts.Topics}.
 *
 * <p>Rules for this package:
 * <ul>
 *   <li>Records only, no Spring and no Mailroom internals: producers and consumers outside Mailroom
 *       depend on this jar, and teams in other languages read the JSON Schemas beside it.</li>
 *   <li>Every change stays backward compatible within a {@code schemaVersion}: add optional fields,
 *       never remove, rename, narrow or make required. {@code ContractCompatibilityTest} enforces it
 *       against the released schemas.</li>
 *   <li>Consumers must ignore fields and enum values they do not know; {@link MailroomJson} does.</li>
 * </ul>
 */
package io.mailroom.contracts;
