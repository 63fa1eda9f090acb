/* datalock.c: see datalock.h. fcntl record locks go with the process, even
 * when it is killed, and F_GETLK names the holder; they are not inherited
 * by children (/exec, eval_password), and the descriptor is closed on
 * exec. */
#include "core/datalock.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/paths.h"
#include "util/error.h"

/* Hidden: the other entries are the accounts' directories. */
#define LOCK_FILE ".lock"

static int lock_fd = -1;

gboolean datalock_take(GError **error)
{
    if (lock_fd >= 0)
        return TRUE;
    if (!paths_ensure(error))
        return FALSE;
    const char *dir = paths_data_dir();
    g_autofree char *path = g_build_filename(dir, LOCK_FILE, NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "cannot open %s: %s",
                    path, g_strerror(e));
        return FALSE;
    }
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_SETLK, &lock) == 0) {
        lock_fd = fd;
        return TRUE;
    }
    int e = errno;
    if (e != EACCES && e != EAGAIN) {
        close(fd);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "cannot lock %s: %s",
                    path, g_strerror(e));
        return FALSE;
    }
    /* Who has it: the lock may have gone in between (pid 0 then). */
    struct flock holder = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    g_autofree char *who =
        fcntl(fd, F_GETLK, &holder) == 0 && holder.l_type != F_UNLCK
            ? g_strdup_printf(" (pid %ld)", (long)holder.l_pid)
            : g_strdup("");
    close(fd);
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                "another natter%s is already running with the data directory "
                "%s: one history cannot be shared. Quit that one, or give "
                "this one its own (--data-dir DIR)",
                who, dir);
    return FALSE;
}

void datalock_release(void)
{
    if (lock_fd >= 0)
        close(lock_fd);
    lock_fd = -1;
}
