/* lsan_suppressions.c: leaks LeakSanitizer is told to overlook in the
 * sanitizer build, each one a library's and not ours.
 *
 * libstrophe 0.12.2 (and its master as of 2026): when a connection that was
 * handed a resumable stream management state (XEP-0198) breaks before the
 * resumption is answered, _reset_sm_state_for_reconnect() overwrites the
 * state's saved bound JID without freeing it: one JID string per failed
 * resumption attempt. The stack LeakSanitizer records ends in libstrophe
 * (built without frame pointers) at xmpp_stanza_get_text(); natter's own
 * calls of that function all go through stanza_text(), which frees.
 *
 * libotr 4.1.1: otrl_context_forget() (through otrl_userstate_free())
 * frees what a context's private part holds but not the part itself, which
 * otrl_context_priv_new() allocated: one block per OTR context, freed by
 * nobody. natter cannot free it itself: libotr reads it while forgetting
 * the context. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
    return "leak:xmpp_stanza_get_text\n"
           "leak:otrl_context_priv_new\n";
}
#endif
