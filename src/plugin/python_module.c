/* python_module.c: the module `natter` of Python plugins, the API of
 * include/natter/plugin.h in Python. Every function acts for the plugin
 * whose code is running (python_current()); a registered callable is
 * called through a trampoline that makes its plugin the current one
 * again. Handles natter passes to a callable (a command's call, an event,
 * a message) are valid during that call only: using one afterwards
 * raises. A function of the API that fails raises natter.Error with
 * natter's reason. */
#include "plugin/python_internal.h"

#include "core/buffer.h"

static PyObject *natter_error; /* natter.Error */

/* The running plugin, or NULL with RuntimeError set. */
static PyPlugin *current(void)
{
    PyPlugin *pp = python_current();
    if (!pp)
        PyErr_SetString(PyExc_RuntimeError,
                        "natter is called outside a plugin's code");
    return pp;
}

/* The plugin whose code runs now, when FUNC can be called; NULL with a
 * Python exception set otherwise. */
static PyPlugin *current_with_callable(PyObject *func)
{
    PyPlugin *pp = current();
    if (pp && !PyCallable_Check(func)) {
        PyErr_SetString(PyExc_TypeError, "func is not callable");
        return NULL;
    }
    return pp;
}

static PyObject *fail(PyPlugin *pp)
{
    const char *why = natter_plugin_error(pp->plugin);
    PyErr_SetString(natter_error, why && *why ? why : "failed");
    return NULL;
}

static PyObject *string_or_none(const char *s)
{
    if (s)
        return PyUnicode_FromString(s);
    Py_RETURN_NONE;
}

/* --- handles: Call, Event, Message --------------------------------------- */

typedef struct {
    PyObject_HEAD NatterCall *call;
} PyNatterCall;

typedef struct {
    PyObject_HEAD NatterMessage *message;
    int in_stage; /* its body may be changed, it may be refused */
    int refused;
} PyNatterMessage;

typedef struct {
    PyObject_HEAD const NatterEvent *event;
    PyObject *message; /* PyNatterMessage, made on first use */
} PyNatterEvent;

static PyObject *gone(void)
{
    PyErr_SetString(PyExc_RuntimeError,
                    "natter's handle is used after its callback returned");
    return NULL;
}

/* Call */

static PyObject *call_print(PyNatterCall *self, PyObject *args)
{
    const char *text;
    if (!PyArg_ParseTuple(args, "s", &text))
        return NULL;
    if (!self->call)
        return gone();
    natter_call_print(self->call, text);
    Py_RETURN_NONE;
}

static PyObject *call_account(PyNatterCall *self, void *closure)
{
    (void)closure;
    return self->call ? string_or_none(natter_call_account(self->call))
                      : gone();
}

static PyObject *call_peer(PyNatterCall *self, void *closure)
{
    (void)closure;
    return self->call ? string_or_none(natter_call_peer(self->call)) : gone();
}

static PyMethodDef call_methods[] = {
    {"print", (PyCFunction)call_print, METH_VARARGS,
     "print(text): show text as the command's output"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef call_getset[] = {
    {"account", (getter)call_account, NULL,
     "the account the command was run for, or None", NULL},
    {"peer", (getter)call_peer, NULL,
     "the JID of the conversation it was typed in, or None", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject call_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "natter.Call",
    .tp_basicsize = sizeof(PyNatterCall),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A command of the plugin's being run.",
    .tp_methods = call_methods,
    .tp_getset = call_getset,
};

/* Message */

#define MESSAGE_STRING(field)                                                  \
    static PyObject *message_##field(PyNatterMessage *self, void *closure)     \
    {                                                                          \
        (void)closure;                                                         \
        if (!self->message)                                                    \
            return gone();                                                     \
        return string_or_none(natter_message_##field(self->message));          \
    }
MESSAGE_STRING(account)
MESSAGE_STRING(peer)
MESSAGE_STRING(nick)
MESSAGE_STRING(body)
MESSAGE_STRING(kind)
MESSAGE_STRING(origin)

static PyObject *message_outgoing(PyNatterMessage *self, void *closure)
{
    (void)closure;
    return self->message
               ? PyBool_FromLong(natter_message_outgoing(self->message))
               : gone();
}

static PyObject *message_highlight(PyNatterMessage *self, void *closure)
{
    (void)closure;
    return self->message
               ? PyBool_FromLong(natter_message_highlight(self->message))
               : gone();
}

static PyObject *message_time(PyNatterMessage *self, void *closure)
{
    (void)closure;
    if (!self->message)
        return gone();
    return PyFloat_FromDouble((double)natter_message_time(self->message) /
                              G_USEC_PER_SEC);
}

static int message_set_body(PyNatterMessage *self, PyObject *value,
                            void *closure)
{
    (void)closure;
    if (!self->message) {
        gone();
        return -1;
    }
    if (!self->in_stage) {
        PyErr_SetString(PyExc_AttributeError,
                        "a message's body can be changed in a stage only");
        return -1;
    }
    const char *body = value ? PyUnicode_AsUTF8(value) : NULL;
    if (!body) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "a body is a str");
        return -1;
    }
    natter_message_set_body(self->message, body);
    return 0;
}

static PyObject *message_refuse(PyNatterMessage *self, PyObject *args)
{
    const char *reason = "";
    if (!PyArg_ParseTuple(args, "|s", &reason))
        return NULL;
    if (!self->message)
        return gone();
    if (!self->in_stage) {
        PyErr_SetString(PyExc_RuntimeError,
                        "a message can be refused in a stage only");
        return NULL;
    }
    natter_message_refuse(self->message, reason);
    self->refused = 1;
    Py_RETURN_NONE;
}

static PyMethodDef message_methods[] = {
    {"refuse", (PyCFunction)message_refuse, METH_VARARGS,
     "refuse([reason]): in a stage, the message goes no further"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef message_getset[] = {
    {"account", (getter)message_account, NULL, "the account's name", NULL},
    {"peer", (getter)message_peer, NULL,
     "the conversation: a bare JID, or room@service/nick", NULL},
    {"nick", (getter)message_nick, NULL, "who wrote it, as shown", NULL},
    {"body", (getter)message_body, (setter)message_set_body,
     "the text or None; a stage may set it", NULL},
    {"kind", (getter)message_kind, NULL,
     "'chat', 'groupchat', 'private' or 'headline'", NULL},
    {"origin", (getter)message_origin, NULL,
     "'live', 'carbon-received', 'carbon-sent', 'archived' or 'local'", NULL},
    {"outgoing", (getter)message_outgoing, NULL, "True when we sent it", NULL},
    {"highlight", (getter)message_highlight, NULL, "True when it mentions us",
     NULL},
    {"time", (getter)message_time, NULL,
     "when it was written, seconds since the epoch", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject message_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "natter.Message",
    .tp_basicsize = sizeof(PyNatterMessage),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A message passing a stage, or carried by an event.",
    .tp_methods = message_methods,
    .tp_getset = message_getset,
};

/* Event */

static void event_dealloc(PyNatterEvent *self)
{
    Py_XDECREF(self->message);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#define EVENT_STRING(field)                                                    \
    static PyObject *event_##field(PyNatterEvent *self, void *closure)         \
    {                                                                          \
        (void)closure;                                                         \
        if (!self->event)                                                      \
            return gone();                                                     \
        return string_or_none(natter_event_##field(self->event));              \
    }
EVENT_STRING(name)
EVENT_STRING(account)
EVENT_STRING(jid)
EVENT_STRING(detail)

static PyObject *event_message(PyNatterEvent *self, void *closure)
{
    (void)closure;
    if (!self->event)
        return gone();
    if (!self->message) {
        const NatterMessage *m = natter_event_message(self->event);
        if (!m)
            Py_RETURN_NONE;
        PyNatterMessage *pm = PyObject_New(PyNatterMessage, &message_type);
        if (!pm)
            return NULL;
        pm->message = (NatterMessage *)m; /* read only: not in a stage */
        pm->in_stage = 0;
        pm->refused = 0;
        self->message = (PyObject *)pm;
    }
    Py_INCREF(self->message);
    return self->message;
}

static PyGetSetDef event_getset[] = {
    {"name", (getter)event_name, NULL, "the event's name", NULL},
    {"account", (getter)event_account, NULL, "the account, or None", NULL},
    {"jid", (getter)event_jid, NULL, "the JID it is about, or None", NULL},
    {"detail", (getter)event_detail, NULL,
     "the occupant's nick, the setting's name, or None", NULL},
    {"message", (getter)event_message, NULL,
     "the message of message-received and message-sent, else None", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject event_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "natter.Event",
    .tp_basicsize = sizeof(PyNatterEvent),
    .tp_dealloc = (destructor)event_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An event delivered to a subscriber.",
    .tp_getset = event_getset,
};

/* --- trampolines ------------------------------------------------------- */

static int on_command(NatterCall *call, int argc, const char *const *argv,
                      void *data)
{
    PyCallback *cb = data;
    PyNatterCall *pc = PyObject_New(PyNatterCall, &call_type);
    PyObject *args = PyTuple_New(argc + 1);
    if (!pc || !args) {
        Py_XDECREF(pc);
        Py_XDECREF(args);
        PyErr_Clear();
        natter_call_fail(call, "out of memory");
        return 0;
    }
    pc->call = call;
    Py_INCREF(pc);
    PyTuple_SET_ITEM(args, 0, (PyObject *)pc);
    for (int i = 0; i < argc; i++)
        PyTuple_SET_ITEM(args, i + 1, PyUnicode_FromString(argv[i]));
    /* The callable may remove its own command: keep what is needed. */
    PyPlugin *owner = cb->owner;
    g_autofree char *name = g_strdup(cb->name);
    PyObject *func = Py_NewRef(cb->func);
    PyPlugin *previous = python_enter(owner);
    PyObject *result = PyObject_Call(func, args, NULL);
    python_leave(previous);
    Py_DECREF(func);
    pc->call = NULL;
    Py_DECREF(pc);
    Py_DECREF(args);
    if (result) {
        Py_DECREF(result);
        return 1;
    }
    if (PyErr_ExceptionMatches(natter_error)) {
        /* The plugin's own word for a failed command. */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyObject *text = value ? PyObject_Str(value) : NULL;
        const char *s = text ? PyUnicode_AsUTF8(text) : NULL;
        natter_call_fail(call, "%s", s ? s : "failed");
        Py_XDECREF(text);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        PyErr_Clear();
        return 0;
    }
    /* Where it was typed, and in the console with the other reports. */
    g_autofree char *line = python_exception_line();
    buffer_appendf(buffer_console(), LINE_ERROR,
                   "Python plugin %s: in command /%s: %s", owner->name, name,
                   line);
    natter_call_fail(call, "plugin %s raised %s", owner->name, line);
    return 0;
}

static void on_event(NatterPlugin *plugin, const NatterEvent *event, void *data)
{
    (void)plugin;
    PyCallback *cb = data;
    PyNatterEvent *pe = PyObject_New(PyNatterEvent, &event_type);
    if (!pe) {
        PyErr_Clear();
        return;
    }
    pe->event = event;
    pe->message = NULL;
    PyPlugin *owner = cb->owner; /* CB may go: it can unsubscribe itself */
    PyObject *func = Py_NewRef(cb->func);
    PyPlugin *previous = python_enter(owner);
    PyObject *result = PyObject_CallOneArg(func, (PyObject *)pe);
    python_leave(previous);
    Py_DECREF(func);
    pe->event = NULL;
    if (pe->message)
        ((PyNatterMessage *)pe->message)->message = NULL;
    Py_DECREF(pe);
    if (!result) {
        g_autofree char *what =
            g_strdup_printf("in a handler of %s", natter_event_name(event));
        python_report(owner, what);
    }
    Py_XDECREF(result);
}

static NatterStageVerdict on_stage(NatterPlugin *plugin, NatterMessage *message,
                                   void *data)
{
    (void)plugin;
    PyCallback *cb = data;
    PyNatterMessage *pm = PyObject_New(PyNatterMessage, &message_type);
    if (!pm) {
        PyErr_Clear();
        return NATTER_STAGE_CONTINUE;
    }
    pm->message = message;
    pm->in_stage = 1;
    pm->refused = 0;
    PyPlugin *owner = cb->owner; /* CB may go: a stage can remove itself */
    g_autofree char *name = g_strdup(cb->name);
    PyObject *func = Py_NewRef(cb->func);
    PyPlugin *previous = python_enter(owner);
    PyObject *result = PyObject_CallOneArg(func, (PyObject *)pm);
    python_leave(previous);
    Py_DECREF(func);
    pm->message = NULL;
    int refused = pm->refused;
    Py_DECREF(pm);
    if (!result) {
        /* A broken stage lets the message through as it is: the user
         * sees why in the console. */
        g_autofree char *what = g_strdup_printf("in stage %s", name);
        python_report(owner, what);
        return NATTER_STAGE_CONTINUE;
    }
    Py_DECREF(result);
    return refused ? NATTER_STAGE_REFUSE : NATTER_STAGE_CONTINUE;
}

static int on_timer(NatterPlugin *plugin, void *data)
{
    (void)plugin;
    PyCallback *cb = data;
    PyPlugin *owner = cb->owner;
    unsigned id = cb->id;
    PyPlugin *previous = python_enter(owner);
    PyObject *func = Py_NewRef(cb->func); /* it may remove its timer */
    PyObject *result = PyObject_CallNoArgs(func);
    python_leave(previous);
    Py_DECREF(func);
    int again = 0;
    if (!result)
        python_report(owner, "in a timer");
    else
        again = PyObject_IsTrue(result) == 1;
    Py_XDECREF(result);
    PyErr_Clear();
    if (!again) /* natter removes the timer: its callable goes too */
        python_callback_remove(owner, PY_CALLBACK_TIMER, id, NULL);
    return again;
}

/* --- the module's functions -------------------------------------------- */

static PyObject *py_name(PyObject *self, PyObject *args)
{
    (void)self;
    (void)args;
    PyPlugin *pp = current();
    return pp ? PyUnicode_FromString(natter_plugin_name(pp->plugin)) : NULL;
}

static PyObject *py_data_dir(PyObject *self, PyObject *args)
{
    (void)self;
    (void)args;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    const char *dir = natter_plugin_data_dir(pp->plugin);
    return dir ? PyUnicode_FromString(dir) : fail(pp);
}

/* A NULL-terminated copy of a sequence of str, or NULL with an exception.
 * Caller frees. */
static char **strings_of(PyObject *sequence)
{
    PyObject *fast = PySequence_Fast(sequence, "synopsis is a list of str");
    if (!fast)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    char **out = g_new0(char *, n + 1);
    for (Py_ssize_t i = 0; i < n; i++) {
        const char *s = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(fast, i));
        if (!s) {
            g_strfreev(out);
            Py_DECREF(fast);
            return NULL;
        }
        out[i] = g_strdup(s);
    }
    Py_DECREF(fast);
    return out;
}

static PyObject *py_command(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)self;
    static char *keywords[] = {"name",     "func",        "synopsis",
                               "summary",  "description", "min_args",
                               "max_args", "rest",        NULL};
    const char *name, *summary = NULL, *description = NULL;
    PyObject *func, *synopsis = Py_None;
    int min_args = 0, max_args = -1, rest = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "sO|Ozziip", keywords, &name,
                                     &func, &synopsis, &summary, &description,
                                     &min_args, &max_args, &rest))
        return NULL;
    PyPlugin *pp = current_with_callable(func);
    if (!pp)
        return NULL;
    g_auto(GStrv) lines = NULL;
    if (synopsis != Py_None && !(lines = strings_of(synopsis)))
        return NULL;
    NatterCommandSpec spec = {
        .name = name,
        .synopsis = (const char *const *)lines,
        .summary = summary,
        .description = description,
        .min_args = min_args,
        .max_args = max_args,
        .rest = rest,
        .func = on_command,
    };
    PyCallback *cb = python_callback_new(pp, PY_CALLBACK_COMMAND, func);
    cb->name = g_strdup(name);
    if (!natter_command_register(pp->plugin, &spec, cb)) {
        PyObject *error = fail(pp);
        python_callback_remove(pp, PY_CALLBACK_COMMAND, 0, name);
        return error;
    }
    Py_RETURN_NONE;
}

static PyObject *py_remove_command(PyObject *self, PyObject *args)
{
    (void)self;
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    natter_command_unregister(pp->plugin, name);
    python_callback_remove(pp, PY_CALLBACK_COMMAND, 0, name);
    Py_RETURN_NONE;
}

static PyObject *py_setting(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)self;
    static char *keywords[] = {"name", "type", "default", "description",
                               "min",  "max",  "choices", NULL};
    const char *name, *description = "", *choices = NULL;
    int type, min = 0, max = 0;
    PyObject *value;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "siO|siiz", keywords, &name,
                                     &type, &value, &description, &min, &max,
                                     &choices))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    /* The default as natter writes it: on|off, a number, the text. */
    g_autofree char *text = NULL;
    if (PyBool_Check(value))
        text = g_strdup(value == Py_True ? "on" : "off");
    else {
        PyObject *s = PyObject_Str(value);
        const char *u = s ? PyUnicode_AsUTF8(s) : NULL;
        text = g_strdup(u);
        Py_XDECREF(s);
        if (!u)
            return NULL;
    }
    if (!natter_setting_register(pp->plugin, name, (NatterSettingType)type,
                                 text, description, min, max, choices))
        return fail(pp);
    Py_RETURN_NONE;
}

/* get(FULL_NAME): the setting's value as its type says; None when there is
 * no such setting. */
static PyObject *py_get(PyObject *self, PyObject *args)
{
    (void)self;
    const char *name;
    int type;
    if (!PyArg_ParseTuple(args, "si", &name, &type))
        return NULL;
    switch (type) {
    case NATTER_SETTING_BOOL:
        return PyBool_FromLong(natter_setting_get_bool(name));
    case NATTER_SETTING_INT:
        return PyLong_FromLong(natter_setting_get_int(name));
    default:
        return string_or_none(natter_setting_get_string(name));
    }
}

static PyObject *py_subscribe(PyObject *self, PyObject *args)
{
    (void)self;
    const char *name;
    PyObject *func;
    if (!PyArg_ParseTuple(args, "sO", &name, &func))
        return NULL;
    PyPlugin *pp = current_with_callable(func);
    if (!pp)
        return NULL;
    PyCallback *cb = python_callback_new(pp, PY_CALLBACK_EVENT, func);
    cb->id = natter_event_subscribe(pp->plugin, name, on_event, cb);
    if (!cb->id) {
        python_callback_remove(pp, PY_CALLBACK_EVENT, 0, NULL);
        return fail(pp);
    }
    return PyLong_FromUnsignedLong(cb->id);
}

static PyObject *py_unsubscribe(PyObject *self, PyObject *args)
{
    (void)self;
    unsigned id;
    if (!PyArg_ParseTuple(args, "I", &id))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    natter_event_unsubscribe(pp->plugin, id);
    python_callback_remove(pp, PY_CALLBACK_EVENT, id, NULL);
    Py_RETURN_NONE;
}

static PyObject *py_stage(PyObject *self, PyObject *args)
{
    (void)self;
    int kind;
    const char *name;
    PyObject *func;
    if (!PyArg_ParseTuple(args, "isO", &kind, &name, &func))
        return NULL;
    PyPlugin *pp = current_with_callable(func);
    if (!pp)
        return NULL;
    PyCallback *cb = python_callback_new(pp, PY_CALLBACK_STAGE, func);
    cb->id =
        natter_stage_add(pp->plugin, (NatterStageKind)kind, name, on_stage, cb);
    if (!cb->id) {
        python_callback_remove(pp, PY_CALLBACK_STAGE, 0, NULL);
        return fail(pp);
    }
    /* The name of the callback is the stage's, for reports. */
    cb->name = g_strdup(name);
    return PyLong_FromUnsignedLong(cb->id);
}

static PyObject *py_remove_stage(PyObject *self, PyObject *args)
{
    (void)self;
    unsigned id;
    if (!PyArg_ParseTuple(args, "I", &id))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    natter_stage_remove(pp->plugin, id);
    for (guint i = 0; i < pp->callbacks->len; i++) {
        PyCallback *cb = g_ptr_array_index(pp->callbacks, i);
        if (cb->kind == PY_CALLBACK_STAGE && cb->id == id) {
            g_ptr_array_remove_index(pp->callbacks, i);
            break;
        }
    }
    Py_RETURN_NONE;
}

static PyObject *py_timer(PyObject *self, PyObject *args)
{
    (void)self;
    unsigned interval;
    PyObject *func;
    if (!PyArg_ParseTuple(args, "IO", &interval, &func))
        return NULL;
    PyPlugin *pp = current_with_callable(func);
    if (!pp)
        return NULL;
    PyCallback *cb = python_callback_new(pp, PY_CALLBACK_TIMER, func);
    cb->id = natter_timer_add(pp->plugin, interval, on_timer, cb);
    if (!cb->id) {
        python_callback_remove(pp, PY_CALLBACK_TIMER, 0, NULL);
        return fail(pp);
    }
    return PyLong_FromUnsignedLong(cb->id);
}

static PyObject *py_remove_timer(PyObject *self, PyObject *args)
{
    (void)self;
    unsigned id;
    if (!PyArg_ParseTuple(args, "I", &id))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    natter_timer_remove(pp->plugin, id);
    python_callback_remove(pp, PY_CALLBACK_TIMER, id, NULL);
    Py_RETURN_NONE;
}

static PyObject *py_add_feature(PyObject *self, PyObject *args)
{
    (void)self;
    const char *var;
    if (!PyArg_ParseTuple(args, "s", &var))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    if (!natter_disco_feature_add(pp->plugin, var))
        return fail(pp);
    Py_RETURN_NONE;
}

static PyObject *py_remove_feature(PyObject *self, PyObject *args)
{
    (void)self;
    const char *var;
    if (!PyArg_ParseTuple(args, "s", &var))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    natter_disco_feature_remove(pp->plugin, var);
    Py_RETURN_NONE;
}

static PyObject *py_send_message(PyObject *self, PyObject *args)
{
    (void)self;
    const char *account, *to, *body;
    if (!PyArg_ParseTuple(args, "sss", &account, &to, &body))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    if (!natter_send_message(pp->plugin, account, to, body))
        return fail(pp);
    Py_RETURN_NONE;
}

static PyObject *py_send_stanza(PyObject *self, PyObject *args)
{
    (void)self;
    const char *account, *xml;
    if (!PyArg_ParseTuple(args, "ss", &account, &xml))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    if (!natter_send_stanza(pp->plugin, account, xml))
        return fail(pp);
    Py_RETURN_NONE;
}

static PyObject *py_print(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)self;
    static char *keywords[] = {"text", "account", "jid", NULL};
    const char *text, *account = NULL, *jid = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|zz", keywords, &text,
                                     &account, &jid))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    natter_print(pp->plugin, account, jid, text);
    Py_RETURN_NONE;
}

static PyObject *py_open_window(PyObject *self, PyObject *args)
{
    (void)self;
    const char *account, *jid;
    if (!PyArg_ParseTuple(args, "ss", &account, &jid))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    if (!natter_window_open(pp->plugin, account, jid))
        return fail(pp);
    Py_RETURN_NONE;
}

static void on_key(NatterPlugin *plugin, void *data)
{
    (void)plugin;
    PyCallback *cb = data;
    PyPlugin *previous = python_enter(cb->owner);
    PyObject *func = Py_NewRef(cb->func); /* it may remove its action */
    g_autofree char *what = g_strdup_printf("in key action %s", cb->name);
    PyObject *result = PyObject_CallNoArgs(func);
    python_leave(previous);
    Py_DECREF(func);
    if (!result)
        python_report(cb->owner, what);
    Py_XDECREF(result);
}

static PyObject *py_key_action(PyObject *self, PyObject *args)
{
    (void)self;
    const char *name, *description;
    PyObject *func;
    if (!PyArg_ParseTuple(args, "ssO", &name, &description, &func))
        return NULL;
    PyPlugin *pp = current_with_callable(func);
    if (!pp)
        return NULL;
    PyCallback *cb = python_callback_new(pp, PY_CALLBACK_KEY, func);
    cb->name = g_strdup(name);
    if (!natter_key_action_add(pp->plugin, name, description, on_key, cb)) {
        python_callback_remove(pp, PY_CALLBACK_KEY, 0, name);
        return fail(pp);
    }
    Py_RETURN_NONE;
}

static PyObject *py_remove_key_action(PyObject *self, PyObject *args)
{
    (void)self;
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    natter_key_action_remove(pp->plugin, name);
    python_callback_remove(pp, PY_CALLBACK_KEY, 0, name);
    Py_RETURN_NONE;
}

/* Called once, unless the plugin was unloaded before (then its callbacks
 * are gone and natter does not call). */
static void on_answer(NatterPlugin *plugin, const char *answer, void *data)
{
    (void)plugin;
    PyCallback *cb = data;
    PyPlugin *owner = cb->owner;
    unsigned id = cb->id;
    PyPlugin *previous = python_enter(owner);
    PyObject *arg = answer ? PyUnicode_FromString(answer) : Py_NewRef(Py_None);
    PyObject *result = arg ? PyObject_CallOneArg(cb->func, arg) : NULL;
    python_leave(previous);
    Py_XDECREF(arg);
    if (!result)
        python_report(owner, "answering a question");
    Py_XDECREF(result);
    python_callback_remove(owner, PY_CALLBACK_ASK, id, NULL);
}

static PyObject *py_ask(PyObject *self, PyObject *args)
{
    (void)self;
    static unsigned serial;
    const char *question;
    PyObject *func;
    if (!PyArg_ParseTuple(args, "sO", &question, &func))
        return NULL;
    PyPlugin *pp = current_with_callable(func);
    if (!pp)
        return NULL;
    PyCallback *cb = python_callback_new(pp, PY_CALLBACK_ASK, func);
    cb->id = ++serial;
    natter_ask(pp->plugin, question, on_answer, cb);
    Py_RETURN_NONE;
}

static PyObject *py_print_current(PyObject *self, PyObject *args)
{
    (void)self;
    const char *text;
    if (!PyArg_ParseTuple(args, "s", &text))
        return NULL;
    PyPlugin *pp = current();
    if (!pp)
        return NULL;
    natter_print_current(pp->plugin, text);
    Py_RETURN_NONE;
}

/* _write(line, error): a line of a plugin's print() (sys.stdout) or of
 * sys.stderr, in natter's console with the plugin's name. */
static PyObject *py_write(PyObject *self, PyObject *args)
{
    (void)self;
    const char *line;
    int error;
    if (!PyArg_ParseTuple(args, "sp", &line, &error))
        return NULL;
    PyPlugin *pp = python_current();
    buffer_appendf(buffer_console(), error ? LINE_ERROR : LINE_INFO, "[%s] %s",
                   pp ? pp->name : "python", line);
    Py_RETURN_NONE;
}

static PyMethodDef functions[] = {
    {"_write", py_write, METH_VARARGS, NULL},
    {"name", py_name, METH_NOARGS, "name(): the plugin's name"},
    {"data_dir", py_data_dir, METH_NOARGS,
     "data_dir(): the plugin's own data directory (made if missing)"},
    {"command", (PyCFunction)(void (*)(void))py_command,
     METH_VARARGS | METH_KEYWORDS,
     "command(name, func, synopsis=None, summary=None, description=None, "
     "min_args=0, max_args=-1, rest=False): add the command /name; "
     "func(call, *args) runs it and raises natter.Error to fail"},
    {"remove_command", py_remove_command, METH_VARARGS,
     "remove_command(name): remove the plugin's command"},
    {"setting", (PyCFunction)(void (*)(void))py_setting,
     METH_VARARGS | METH_KEYWORDS,
     "setting(name, type, default, description='', min=0, max=0, "
     "choices=None): add the setting PLUGIN.name of type BOOL, INT, STRING "
     "or CHOICE"},
    {"_get", py_get, METH_VARARGS, NULL},
    {"subscribe", py_subscribe, METH_VARARGS,
     "subscribe(event, func): call func(event) for each event of that name; "
     "returns an id"},
    {"unsubscribe", py_unsubscribe, METH_VARARGS, "unsubscribe(id)"},
    {"stage", py_stage, METH_VARARGS,
     "stage(IN or OUT, name, func): call func(message) for each message "
     "received or sent; it may set message.body or message.refuse(); "
     "returns an id"},
    {"remove_stage", py_remove_stage, METH_VARARGS, "remove_stage(id)"},
    {"open_window", py_open_window, METH_VARARGS,
     "open_window(account, jid): open the chat with jid and show it"},
    {"key_action", py_key_action, METH_VARARGS,
     "key_action(name, description, func): the key action PLUGIN.name, "
     "which /bind binds keys to; func() runs when such a key is pressed"},
    {"remove_key_action", py_remove_key_action, METH_VARARGS,
     "remove_key_action(name)"},
    {"ask", py_ask, METH_VARARGS,
     "ask(question, func): ask the user without waiting; func(answer) "
     "gets the answer, or None when the question was cancelled"},
    {"timer", py_timer, METH_VARARGS,
     "timer(interval_ms, func): call func() every interval_ms while it "
     "returns True; returns an id"},
    {"remove_timer", py_remove_timer, METH_VARARGS, "remove_timer(id)"},
    {"add_feature", py_add_feature, METH_VARARGS,
     "add_feature(var): announce a disco feature"},
    {"remove_feature", py_remove_feature, METH_VARARGS, "remove_feature(var)"},
    {"send_message", py_send_message, METH_VARARGS,
     "send_message(account, to, body): send a chat or room message"},
    {"send_stanza", py_send_stanza, METH_VARARGS,
     "send_stanza(account, xml): send one stanza as it is"},
    {"print", (PyCFunction)(void (*)(void))py_print,
     METH_VARARGS | METH_KEYWORDS,
     "print(text, account=None, jid=None): show an information line in the "
     "conversation's window, else the account's or natter's console"},
    {"print_current", py_print_current, METH_VARARGS,
     "print_current(text): show a line in the window the user looks at"},
    {NULL, NULL, 0, NULL},
};

/* What the module defines in Python: the settings' getters by type, and
 * the stream that takes a plugin's print() to the console. */
static const char module_python[] =
    "def get_bool(name):\n"
    "    'the value of the bool setting name (False if there is none)'\n"
    "    return _get(name, BOOL)\n"
    "def get_int(name):\n"
    "    'the value of the int setting name (0 if there is none)'\n"
    "    return _get(name, INT)\n"
    "def get_string(name):\n"
    "    'the value of the string or choice setting name, or None'\n"
    "    return _get(name, STRING)\n"
    "class _Output:\n"
    "    def __init__(self, error):\n"
    "        self.error = error\n"
    "        self.pending = ''\n"
    "    def write(self, text):\n"
    "        self.pending += text\n"
    "        *lines, self.pending = self.pending.split('\\n')\n"
    "        for line in lines:\n"
    "            _write(line, self.error)\n"
    "        return len(text)\n"
    "    def flush(self):\n"
    "        pass\n";

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "natter",
    .m_doc = "natter's plugin API (include/natter/plugin.h) for Python "
             "plugins.",
    .m_size = -1,
    .m_methods = functions,
};

PyObject *python_module_init(void)
{
    if (PyType_Ready(&call_type) < 0 || PyType_Ready(&message_type) < 0 ||
        PyType_Ready(&event_type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (!m)
        return NULL;
    natter_error = PyErr_NewException("natter.Error", NULL, NULL);
    if (!natter_error || PyModule_AddObjectRef(m, "Error", natter_error) < 0 ||
        PyModule_AddIntConstant(m, "API_VERSION", NATTER_PLUGIN_API_VERSION) ||
        PyModule_AddIntConstant(m, "BOOL", NATTER_SETTING_BOOL) ||
        PyModule_AddIntConstant(m, "INT", NATTER_SETTING_INT) ||
        PyModule_AddIntConstant(m, "STRING", NATTER_SETTING_STRING) ||
        PyModule_AddIntConstant(m, "CHOICE", NATTER_SETTING_CHOICE) ||
        PyModule_AddIntConstant(m, "IN", NATTER_STAGE_IN) ||
        PyModule_AddIntConstant(m, "OUT", NATTER_STAGE_OUT)) {
        Py_DECREF(m);
        return NULL;
    }
    PyObject *dict = PyModule_GetDict(m);
    PyObject *result = PyRun_String(module_python, Py_file_input, dict, dict);
    if (!result) {
        Py_DECREF(m);
        return NULL;
    }
    Py_DECREF(result);
    return m;
}
