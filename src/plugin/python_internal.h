/* python_internal.h: what the Python loader (python.c) and the module it
 * gives plugins (python_module.c) share: the plugin whose code is
 * running, the Python callables a plugin registered, and the report of an
 * exception. Not for use outside src/plugin/python*.c. */
#pragma once

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <glib.h>

#include "natter/plugin.h"

/* A Python plugin: its module and what it registered through it. */
typedef struct {
    NatterPlugin *plugin;
    NatterPluginInfo info; /* the host keeps a pointer to it */
    char *name;
    char *version;
    char *description;
    PyObject *module;     /* the plugin's code, run as a module */
    GPtrArray *callbacks; /* PyCallback *, each one registration */
} PyPlugin;

typedef enum {
    PY_CALLBACK_COMMAND,
    PY_CALLBACK_EVENT,
    PY_CALLBACK_STAGE,
    PY_CALLBACK_TIMER,
    PY_CALLBACK_KEY, /* by name */
    PY_CALLBACK_ASK, /* by a serial id */
} PyCallbackKind;

/* A Python callable registered with natter: the data of its trampoline. */
typedef struct {
    PyPlugin *owner;
    PyCallbackKind kind;
    unsigned id; /* events, stages, timers */
    char *name;  /* commands */
    PyObject *func;
} PyCallback;

/* The plugin whose code runs now (loading, or in one of its callbacks),
 * or NULL. Calls can nest (a plugin's command sends a message through
 * another one's stage): python_enter returns the one to restore. */
PyPlugin *python_current(void);
PyPlugin *python_enter(PyPlugin *pp);
void python_leave(PyPlugin *previous);

/* A new callback of PP (recorded in it), and its removal (by kind and id
 * or name), which drops the callable. */
PyCallback *python_callback_new(PyPlugin *pp, PyCallbackKind kind,
                                PyObject *func);
void python_callback_remove(PyPlugin *pp, PyCallbackKind kind, unsigned id,
                            const char *name);

/* Turns the pending Python exception into a line in natter's console
 * naming the plugin, where it was raised, and what it was (WHAT: "in
 * command /x"). Clears it. */
void python_report(PyPlugin *pp, const char *what);
/* The pending exception as one line "Type: message (at FILE:LINE in
 * FUNC)". Clears it. Caller frees. */
char *python_exception_line(void);

/* The module `natter` (python_module.c), for PyImport_AppendInittab. */
PyObject *python_module_init(void);
