/* termcheck.c: whether the terminal can place the cursor, asked through
 * terminfo before curses takes the terminal. A file of its own because
 * <term.h> defines macros (lines, columns...) that clash with names
 * elsewhere, so it comes after every other header. */
#include "ui/ui_internal.h"

#include <unistd.h>

#include <term.h>

gboolean ui_terminal_moves_cursor(void)
{
    int status = 0;
    if (setupterm(NULL, STDOUT_FILENO, &status) != OK)
        return TRUE; /* initscr() says what is wrong */
    const char *cup = tigetstr((char *)"cup");
    gboolean moves = cup && cup != (char *)-1;
    del_curterm(cur_term);
    return moves;
}
