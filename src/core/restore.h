/* restore.h: the windows of the last session. At quit natter writes which
 * windows were open (accounts' consoles, chats, rooms, private chats with
 * an occupant), in their order, and which was current, to the file
 * "windows" in the data directory; at the next start it opens them again
 * in that order. A restored room is put back in the model as joining, so
 * the account's login joins it again (paced with the other rooms); a room
 * with a password is not kept (passwords are not written down: its
 * bookmark can bring it back). The setting restore_windows turns both
 * off (and the file is removed at quit). */
#pragma once

#include <glib.h>

/* Opens the windows the file lists, for accounts that still exist; lines
 * it cannot use are reported in natter's console. Does nothing when
 * restore_windows is off or there is no file. */
void restore_windows_open(void);

/* Makes the window that was current at quit current again, if it was
 * reopened and is still open: after the logins at start, which show the
 * accounts' consoles. */
void restore_windows_focus(void);

/* Writes the open windows, or removes the file when restore_windows is
 * off. A failure is reported on stderr (the screen is gone by then). */
void restore_windows_save(void);
