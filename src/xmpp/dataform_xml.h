/* dataform_xml.h: XEP-0004 data forms between libstrophe stanzas and the
 * DataForm of util/dataform.h: reading a received jabber:x:data element,
 * writing the form we submit. Internal to xmpp/. */
#pragma once

#include <strophe.h>

#include "util/dataform.h"
#include "xmpp/ns.h"

/* The form in X (an <x xmlns="jabber:x:data"/> element): title,
 * instructions and every field with its values and options. Strings are
 * kept as the network sent them (unsanitised). Caller frees. */
DataForm *dataform_xml_parse(xmpp_stanza_t *x);

/* A new <x xmlns="jabber:x:data" type="submit"/> holding every field FORM
 * carries (hidden ones with their values unchanged, fixed text left
 * out), or type="cancel" and empty when CANCEL. Caller releases. */
xmpp_stanza_t *dataform_xml_build(xmpp_ctx_t *ctx, const DataForm *form,
                                  gboolean cancel);
