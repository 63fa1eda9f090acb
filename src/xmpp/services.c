/* services.c: registers the handlers of every everyday-protocol feature on
 * a new connection, so session.c calls one function for all of them. */
#include "xmpp/services.h"

#include <string.h>

void services_register(Session *s)
{
    disco_register(s);
    caps_register(s);
    version_register(s);
    entitytime_register(s);
    lastactivity_register(s);
}
