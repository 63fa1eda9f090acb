/* python.c: the Python plugin loader. CPython is embedded and started
 * when the first Python plugin loads (natter without one never pays for
 * it). A plugin is its file run as a module of its own, with `import
 * natter` reaching the plugin API (python_module.c): what the file's top
 * level registers belongs to the plugin; its module docstring's first
 * line is its description and __version__ its version. On unload the
 * plugin's deinit() (when it has one) runs, then everything it registered
 * goes and its module is dropped. An exception at load fails the load
 * with the exception as the reason; one in a callback is a line in
 * natter's console naming the plugin, and natter goes on. */
#include "plugin/python_internal.h" /* Python.h first, as Python asks */

#include "core/buffer.h"
#include "plugin/host.h"
#include "plugin/plugin_internal.h"
#include "plugin/python.h"
#include "util/error.h"

static gboolean started;
static PyPlugin *running;
/* Plugins unloaded: the host may still read their declaration (info)
 * after deinit, so their records are freed at the next load. */
static GPtrArray *retired;

PyPlugin *python_current(void)
{
    return running;
}

PyPlugin *python_enter(PyPlugin *pp)
{
    PyPlugin *previous = running;
    running = pp;
    return previous;
}

void python_leave(PyPlugin *previous)
{
    running = previous;
}

gboolean python_plugin_path(const char *path)
{
    return g_str_has_suffix(path, ".py");
}

const char *python_version_name(void)
{
    return "CPython " PY_VERSION;
}

/* --- callbacks --------------------------------------------------------- */

static void callback_free(gpointer data)
{
    PyCallback *cb = data;
    Py_XDECREF(cb->func);
    g_free(cb->name);
    g_free(cb);
}

PyCallback *python_callback_new(PyPlugin *pp, PyCallbackKind kind,
                                PyObject *func)
{
    PyCallback *cb = g_new0(PyCallback, 1);
    cb->owner = pp;
    cb->kind = kind;
    Py_INCREF(func);
    cb->func = func;
    g_ptr_array_add(pp->callbacks, cb);
    return cb;
}

void python_callback_remove(PyPlugin *pp, PyCallbackKind kind, unsigned id,
                            const char *name)
{
    for (guint i = 0; i < pp->callbacks->len; i++) {
        PyCallback *cb = g_ptr_array_index(pp->callbacks, i);
        if (cb->kind == kind && cb->id == id &&
            g_strcmp0(cb->name, name) == 0) {
            g_ptr_array_remove_index(pp->callbacks, i);
            return;
        }
    }
}

/* --- exceptions -------------------------------------------------------- */

char *python_exception_line(void)
{
    PyObject *type = NULL, *exc = NULL, *tb = NULL;
    PyErr_Fetch(&type, &exc, &tb);
    if (!type)
        return g_strdup("no exception");
    PyErr_NormalizeException(&type, &exc, &tb);
    Py_XDECREF(type);
    if (!exc) {
        Py_XDECREF(tb);
        return g_strdup("an exception without a value");
    }
    GString *line = g_string_new(Py_TYPE(exc)->tp_name);
    PyObject *text = PyObject_Str(exc);
    const char *s = text ? PyUnicode_AsUTF8(text) : NULL;
    if (s && *s)
        g_string_append_printf(line, ": %s", s);
    /* The innermost frame: where it was raised. */
    PyTracebackObject *last = (PyTracebackObject *)tb;
    while (last && last->tb_next)
        last = last->tb_next;
    if (last) {
        PyCodeObject *code = PyFrame_GetCode(last->tb_frame);
        const char *file = PyUnicode_AsUTF8(code->co_filename);
        const char *func = PyUnicode_AsUTF8(code->co_name);
        g_autofree char *base = g_path_get_basename(file ? file : "?");
        g_string_append_printf(line, " (at %s:%d in %s)", base,
                               PyFrame_GetLineNumber(last->tb_frame),
                               func ? func : "?");
        Py_DECREF(code);
    }
    Py_XDECREF(tb);
    Py_XDECREF(text);
    Py_DECREF(exc);
    PyErr_Clear(); /* from PyUnicode_AsUTF8 or str() failing */
    return g_string_free(line, FALSE);
}

void python_report(PyPlugin *pp, const char *what)
{
    g_autofree char *line = python_exception_line();
    buffer_appendf(buffer_console(), LINE_ERROR, "Python plugin %s: %s: %s",
                   pp ? pp->name : "?", what, line);
}

/* --- the interpreter ---------------------------------------------------- */

static gboolean start(GError **error)
{
    if (started)
        return TRUE;
    if (PyImport_AppendInittab("natter", python_module_init) < 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "cannot add the natter module to Python");
        return FALSE;
    }
#if defined(__SANITIZE_ADDRESS__)
    /* Python's own allocator takes its arenas from mmap, which
     * LeakSanitizer does not scan: what only they point to would look
     * leaked. With malloc, LeakSanitizer sees every object (as CPython's
     * documentation advises for sanitizers, PYTHONMALLOC=malloc). */
    PyPreConfig preconfig;
    PyPreConfig_InitPythonConfig(&preconfig);
    preconfig.allocator = PYMEM_ALLOCATOR_MALLOC;
    PyStatus prestatus = Py_PreInitialize(&preconfig);
    if (PyStatus_Exception(prestatus)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "cannot start Python: %s",
                    prestatus.err_msg ? prestatus.err_msg : "?");
        return FALSE;
    }
#endif
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    /* natter's own handlers keep SIGINT and friends; Python gets no argv,
     * and its standard streams are not the terminal's to draw on. */
    config.install_signal_handlers = 0;
    config.parse_argv = 0;
    config.configure_c_stdio = 0;
    PyStatus status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "cannot start Python: %s",
                    status.err_msg ? status.err_msg : "?");
        return FALSE;
    }
    /* print() of a plugin goes to natter's console, not over the screen. */
    if (PyRun_SimpleString("import sys, natter\n"
                           "sys.stdout = natter._Output(False)\n"
                           "sys.stderr = natter._Output(True)\n") != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "cannot set up Python's output");
        return FALSE;
    }
    started = TRUE;
    return TRUE;
}

/* --- a plugin ------------------------------------------------------------ */

static PyPlugin *plugin_of(NatterPlugin *plugin)
{
    /* The declaration is the first thing of the record (the host hands
     * back the plugin, whose info is ours). */
    return (PyPlugin *)((char *)plugin->info - offsetof(PyPlugin, info));
}

/* A string attribute of the module, or NULL. Caller frees. */
static char *module_string(PyObject *module, const char *attribute)
{
    PyObject *value = PyObject_GetAttrString(module, attribute);
    char *result = NULL;
    if (value && PyUnicode_Check(value))
        result = g_strdup(PyUnicode_AsUTF8(value));
    Py_XDECREF(value);
    PyErr_Clear();
    return result;
}

/* Takes away what PP registered before its callables go (nothing may call
 * them after; the host finds empty registries), then its module. The
 * record is freed at the next load. */
static void forget(NatterPlugin *plugin, PyPlugin *pp)
{
    plugin_registries_clear(plugin);
    plugin_registries_new(plugin);
    g_ptr_array_set_size(pp->callbacks, 0);
    Py_CLEAR(pp->module);
    g_ptr_array_add(retired, pp);
}

/* Runs the plugin's file as its module. */
static int python_init(NatterPlugin *plugin)
{
    PyPlugin *pp = plugin_of(plugin);
    g_autofree char *source = NULL;
    GError *error = NULL;
    if (!g_file_get_contents(plugin->path, &source, NULL, &error)) {
        natter_plugin_fail(plugin, "%s", error->message);
        g_error_free(error);
        return 0;
    }
    g_autofree char *module_name =
        g_strconcat("natter_plugin_", pp->name, NULL);
    pp->module = PyModule_New(module_name);
    PyObject *globals = PyModule_GetDict(pp->module);
    PyObject *file = PyUnicode_DecodeFSDefault(plugin->path);
    PyDict_SetItemString(globals, "__file__", file);
    PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    PyObject *code =
        Py_CompileStringObject(source, file, Py_file_input, NULL, -1);
    Py_DECREF(file);
    PyPlugin *previous = python_enter(pp);
    PyObject *result = code ? PyEval_EvalCode(code, globals, globals) : NULL;
    python_leave(previous);
    Py_XDECREF(code);
    if (!result) {
        g_autofree char *line = python_exception_line();
        natter_plugin_fail(plugin, "%s", line);
        forget(plugin, pp);
        return 0;
    }
    Py_DECREF(result);
    g_autofree char *doc = module_string(pp->module, "__doc__");
    if (doc) {
        g_strstrip(doc);
        char *end = strchr(doc, '\n');
        g_free(pp->description);
        pp->description =
            g_strndup(doc, end ? (gsize)(end - doc) : strlen(doc));
        pp->info.description = pp->description;
    }
    char *version = module_string(pp->module, "__version__");
    if (version) {
        g_free(pp->version);
        pp->version = version;
        pp->info.version = version;
    }
    return 1;
}

/* Calls the module's deinit(), then forgets the plugin. */
static void python_deinit(NatterPlugin *plugin)
{
    PyPlugin *pp = plugin_of(plugin);
    PyObject *deinit =
        pp->module ? PyObject_GetAttrString(pp->module, "deinit") : NULL;
    PyErr_Clear();
    if (deinit && PyCallable_Check(deinit)) {
        PyPlugin *previous = python_enter(pp);
        PyObject *result = PyObject_CallNoArgs(deinit);
        python_leave(previous);
        if (!result)
            python_report(pp, "in deinit");
        Py_XDECREF(result);
    }
    Py_XDECREF(deinit);
    forget(plugin, pp);
}

static void pyplugin_free(gpointer data)
{
    PyPlugin *pp = data;
    g_ptr_array_unref(pp->callbacks);
    g_free(pp->name);
    g_free(pp->version);
    g_free(pp->description);
    g_free(pp);
}

static gboolean valid_name(const char *name)
{
    if (!*name)
        return FALSE;
    for (const char *c = name; *c; c++)
        if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_')
            return FALSE;
    return TRUE;
}

NatterPlugin *python_plugin_open(const char *path, GError **error)
{
    if (retired)
        g_ptr_array_set_size(retired, 0);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *name = g_strndup(base, strlen(base) - strlen(".py"));
    if (!valid_name(name)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s: a plugin's file is NAME.py, NAME of letters, "
                    "digits, - and _",
                    path);
        return NULL;
    }
    if (plugin_find(name)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_EXISTS,
                    "a plugin named %s is already loaded", name);
        return NULL;
    }
    if (!start(error))
        return NULL;
    if (!retired)
        retired = g_ptr_array_new_with_free_func(pyplugin_free);
    PyPlugin *pp = g_new0(PyPlugin, 1);
    pp->name = g_strdup(name);
    pp->version = g_strdup("");
    pp->description = g_strdup("");
    pp->callbacks = g_ptr_array_new_with_free_func(callback_free);
    pp->info = (NatterPluginInfo){
        .api_version = NATTER_PLUGIN_API_VERSION,
        .name = pp->name,
        .version = pp->version,
        .description = pp->description,
        .init = python_init,
        .deinit = python_deinit,
    };
    NatterPlugin *p = g_new0(NatterPlugin, 1);
    p->name = g_strdup(name);
    p->path = g_strdup(path);
    p->info = &pp->info;
    p->error = g_strdup("");
    pp->plugin = p;
    return p;
}
