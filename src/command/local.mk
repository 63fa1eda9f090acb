# command: the command table, parser and help; one file per command family.
noinst_LIBRARIES += src/command/libcommand.a
src_command_libcommand_a_SOURCES = \
	src/command/cmd_account.c \
	src/command/cmd_adhoc.c \
	src/command/cmd_blocking.c \
	src/command/cmd_pubsub.c \
	src/command/cmd_files.c \
	src/command/cmd_chat.c \
	src/command/cmd_core.c \
	src/command/cmd_editor.c \
	src/command/cmd_exec.c \
	src/command/cmd_form.c \
	src/command/cmd_history.c \
	src/command/cmd_hook.c \
	src/command/cmd_info.c \
	src/command/cmd_keys.c \
	src/command/cmd_muc.c \
	src/command/cmd_presence.c \
	src/command/cmd_register.c \
	src/command/cmd_roster.c \
	src/command/cmd_set.c \
	src/command/cmd_theme.c \
	src/command/cmd_tls.c \
	src/command/cmd_window.c \
	src/command/cmd_xmlconsole.c \
	src/command/command.c src/command/command.h \
	src/command/complete.c src/command/complete.h \
	src/command/control.c src/command/control.h \
	src/command/families.h \
	src/command/help.c src/command/help.h \
	src/command/keymap.c src/command/keymap.h \
	src/command/parse.c
if BUILD_OMEMO
src_command_libcommand_a_SOURCES += src/command/cmd_omemo.c
endif

# /otr, only when OTR is built in (crypto/otr/local.mk).
if BUILD_OTR
src_command_libcommand_a_SOURCES += src/command/cmd_otr.c
endif
