/**
 * The admin page: the seed's screens (Custom SMTP list, Create/Edit SMTP Service, Authorize, Send Test
 * Email, status and recent deliveries) as static files that call the JSON API from the browser.
 *
 * <p>Rules: the page holds no secrets of its own and the server renders nothing for it; the files are
 * public, every call they make carries the admin's API key (kept in the tab's session storage only) and
 * is checked like any other API call. No Node build: plain HTML, CSS and JavaScript modules.
 */
package io.mailroom.api.admin;
