#include "shconf.h"
#include "conf.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct parser {
	struct shconf *c;
	const char *p, *end;
	unsigned line;
	char *val;		/* the value being built */
	size_t len;
	int failed;
};

static void fail(struct parser *ps, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct parser *ps, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->c->error, sizeof(ps->c->error), "%s:%u: %s", ps->c->path, line, msg);
	ps->c->error_line = line;
	log_err("%s", ps->c->error);
}

static int is_name_start(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static int is_name_char(int ch)
{
	return is_name_start(ch) || (ch >= '0' && ch <= '9');
}

/* The next byte without consuming it, or -1 at the end. */
static int peek_raw(const struct parser *ps)
{
	return ps->p < ps->end ? (unsigned char)*ps->p : -1;
}

static void advance(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p++ == '\n')
		ps->line++;
}

/* Like peek_raw, but first drops backslash-newline pairs: sh removes
 * them everywhere except inside single quotes. */
static int peek(struct parser *ps)
{
	while (ps->end - ps->p >= 2 && ps->p[0] == '\\' && ps->p[1] == '\n') {
		ps->p += 2;
		ps->line++;
	}
	return peek_raw(ps);
}

static void append(struct parser *ps, char ch)
{
	if (ps->len >= SHCONF_MAX_VALUE) {
		fail(ps, ps->line, "value longer than %d bytes", SHCONF_MAX_VALUE);
		return;
	}
	ps->val[ps->len++] = ch;
}

static struct shconf_var *find_var(const struct shconf *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->vars[i].name, name) == 0)
			return &c->vars[i];
	return NULL;
}

const struct shconf_var *shconf_find(const struct shconf *c, const char *name)
{
	return find_var(c, name);
}

const char *shconf_get(const struct shconf *c, const char *name)
{
	const struct shconf_var *v = find_var(c, name);

	return v ? v->value : NULL;
}

static int set_var(struct parser *ps, const char *name, unsigned line)
{
	struct shconf *c = ps->c;
	struct shconf_var *v = find_var(c, name);
	char *value = malloc(ps->len + 1);

	if (!value)
		return -ENOMEM;
	memcpy(value, ps->val, ps->len);
	value[ps->len] = '\0';
	if (!v) {
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 16;
			struct shconf_var *vars = realloc(c->vars, cap * sizeof(*vars));

			if (!vars) {
				free(value);
				return -ENOMEM;
			}
			c->vars = vars;
			c->cap = cap;
		}
		v = &c->vars[c->n];
		v->name = strdup(name);
		if (!v->name) {
			free(value);
			return -ENOMEM;
		}
		v->value = NULL;
		c->n++;
	}
	free(v->value);
	v->value = value;
	v->line = line;
	return 0;
}

/* Reads a name ([A-Za-z_][A-Za-z0-9_]*) into buf; its length, 0 if the
 * next byte cannot start one. */
static size_t read_name(struct parser *ps, char buf[SHCONF_MAX_NAME + 1])
{
	size_t n = 0;
	int ch = peek(ps);

	if (!is_name_start(ch))
		return 0;
	while (is_name_char(ch)) {
		if (n == SHCONF_MAX_NAME) {
			fail(ps, ps->line, "name longer than %d characters", SHCONF_MAX_NAME);
			return 0;
		}
		buf[n++] = (char)ch;
		advance(ps);
		ch = peek(ps);
	}
	buf[n] = '\0';
	return n;
}

static void warn_unset(struct parser *ps, const char *name)
{
	const char *names[SHCONF_MAX_VARS];
	const char *hint;
	size_t i;

	for (i = 0; i < ps->c->n && i < SHCONF_MAX_VARS; i++)
		names[i] = ps->c->vars[i].name;
	hint = conf_suggest(name, names, i);
	ps->c->warnings++;
	log_warn("%s:%u: $%s is not set, so it expands to nothing%s%s%s", ps->c->path,
		 ps->line, name, hint ? " (did you mean $" : "", hint ? hint : "", hint ? "?)" : "");
}

static void append_var(struct parser *ps, const char *name)
{
	const char *value = shconf_get(ps->c, name);

	if (!value) {
		warn_unset(ps, name);
		return;
	}
	while (*value && !ps->failed)
		append(ps, *value++);
}

/* After "${": a name and '}', or one of the forms we refuse. */
static void braced_expansion(struct parser *ps)
{
	char name[SHCONF_MAX_NAME + 1];
	int ch;

	advance(ps);	/* '{' */
	if (!read_name(ps, name)) {
		if (ps->failed)
			return;
		ch = peek(ps);
		if (ch == '#')
			fail(ps, ps->line, "${#...} (string length) is not supported: only ${name}");
		else
			fail(ps, ps->line, "expected a variable name after '${'");
		return;
	}
	ch = peek(ps);
	if (ch == '}') {
		advance(ps);
		append_var(ps, name);
	} else if (ch >= 0 && strchr(":-=?+%#/", ch)) {
		fail(ps, ps->line, "${%s%c...}: parameter operators are not supported, only ${name}",
		     name, ch);
	} else {
		fail(ps, ps->line, "expected '}' after '${%s'", name);
	}
}

/* At a '$': an expansion, a refused form, or a literal '$' as in sh. */
static void expansion(struct parser *ps)
{
	char name[SHCONF_MAX_NAME + 1];
	int ch;

	advance(ps);	/* '$' */
	ch = peek(ps);
	if (ch == '{') {
		braced_expansion(ps);
	} else if (is_name_start(ch)) {
		if (read_name(ps, name))
			append_var(ps, name);
	} else if (ch == '(') {
		fail(ps, ps->line, "$(...) runs a command: command substitution is not supported");
	} else if (ch >= 0 && strchr("0123456789@*#?-$!", ch)) {
		fail(ps, ps->line, "$%c is a special parameter of the shell: not supported", ch);
	} else {
		append(ps, '$');
	}
}

static void single_quoted(struct parser *ps)
{
	unsigned opened = ps->line;
	int ch;

	advance(ps);
	while ((ch = peek_raw(ps)) != '\'') {
		if (ch < 0) {
			fail(ps, opened, "unterminated single quote (') opened on this line");
			return;
		}
		append(ps, (char)ch);
		advance(ps);
	}
	advance(ps);
}

static void double_quoted(struct parser *ps)
{
	unsigned opened = ps->line;
	int ch;

	advance(ps);
	while (!ps->failed && (ch = peek(ps)) != '"') {
		if (ch < 0) {
			fail(ps, opened, "unterminated double quote (\") opened on this line");
			return;
		}
		if (ch == '$') {
			expansion(ps);
		} else if (ch == '`') {
			fail(ps, ps->line, "`...` runs a command: command substitution is not supported");
		} else if (ch == '\\') {
			advance(ps);
			ch = peek_raw(ps);
			if (ch >= 0 && strchr("$`\"\\", ch)) {
				append(ps, (char)ch);
				advance(ps);
			} else {
				append(ps, '\\');
			}
		} else {
			append(ps, (char)ch);
			advance(ps);
		}
	}
	advance(ps);
}

static void escaped(struct parser *ps)
{
	int ch;

	advance(ps);	/* '\\'; a following newline was taken by peek() */
	ch = peek_raw(ps);
	if (ch < 0) {
		fail(ps, ps->line, "backslash at the end of the file");
		return;
	}
	append(ps, (char)ch);
	advance(ps);
}

static int ends_word(int ch)
{
	return ch < 0 || ch == ' ' || ch == '\t' || ch == '\n' || ch == ';';
}

/* One unquoted byte of a value. */
static void unquoted(struct parser *ps, int ch)
{
	if (ch == '`')
		fail(ps, ps->line, "`...` runs a command: command substitution is not supported");
	else if (strchr("|&<>()", ch))
		fail(ps, ps->line, "'%c' is a shell operator: quote the value if it is meant literally", ch);
	else
		append(ps, (char)ch);
	advance(ps);
}

/* The word after '=': builds ps->val. */
static void parse_value(struct parser *ps)
{
	int ch, tilde_may_expand = 1;

	ps->len = 0;
	while (!ps->failed && !ends_word(ch = peek(ps))) {
		if (ch == '~' && tilde_may_expand) {
			fail(ps, ps->line, "unquoted '~' would expand to a home directory: write the path, or quote it");
			return;
		}
		/* sh expands a tilde at the start and after each unquoted ':'. */
		tilde_may_expand = ch == ':';
		switch (ch) {
		case '\'':
			single_quoted(ps);
			break;
		case '"':
			double_quoted(ps);
			break;
		case '\\':
			escaped(ps);
			break;
		case '$':
			expansion(ps);
			break;
		default:
			unquoted(ps, ch);
			break;
		}
	}
}

static int skip_blanks(struct parser *ps)
{
	int ch;

	while ((ch = peek(ps)) == ' ' || ch == '\t')
		advance(ps);
	return ch;
}

static void skip_comment(struct parser *ps)
{
	int ch;

	while ((ch = peek_raw(ps)) >= 0 && ch != '\n')
		advance(ps);
}

static int is_shell_word(const char *w)
{
	static const char *const words[] = {
		"if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done",
		"case", "esac", "in", "function", "export", "readonly", "local", "unset",
		"set", "source", "eval", "exec", "alias", "echo", "printf", "return",
		"exit", "shift", "trap", "cd", "test", "true", "false",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(w, words[i]) == 0)
			return 1;
	return 0;
}

/* The text of the rest of the line, shortened, for error messages. */
static void snippet(const struct parser *ps, const char *from, char *buf, size_t size)
{
	size_t n = 0;

	while (from + n < ps->end && from[n] != '\n' && n < size - 1 && n < 40)
		n++;
	memcpy(buf, from, n);
	buf[n] = '\0';
}

static void not_an_assignment(struct parser *ps, const char *start, const char *name,
			      int after_assignment)
{
	char text[48];
	const char *q = ps->p;

	snippet(ps, start, text, sizeof(text));
	if (*name && is_shell_word(name)) {
		fail(ps, ps->line, "'%s' is a shell command or keyword: only name=value assignments are read",
		     name);
		return;
	}
	while (q < ps->end && (*q == ' ' || *q == '\t'))
		q++;
	if (after_assignment)
		fail(ps, ps->line, "expected name=value, found \"%s\" (a value with blanks must be quoted: name=\"a b\")",
		     text);
	else if (*name && q > ps->p && q < ps->end && *q == '=')
		fail(ps, ps->line, "no blanks are allowed around '=' (sh would run a command named '%s')",
		     name);
	else if (*name && peek_raw(ps) >= 0 && !ends_word(peek_raw(ps)) && peek_raw(ps) != '#')
		fail(ps, ps->line, "expected name=value, found \"%s\" (a name has only letters, digits and '_')",
		     text);
	else
		fail(ps, ps->line, "expected name=value, found \"%s\"", text);
}

static void parse_assignment(struct parser *ps, int after_assignment)
{
	char name[SHCONF_MAX_NAME + 1] = "";
	const char *start = ps->p;
	unsigned line = ps->line;

	if (!read_name(ps, name) && ps->failed)
		return;
	if (!*name || peek(ps) != '=') {
		not_an_assignment(ps, start, name, after_assignment);
		return;
	}
	advance(ps);	/* '=' */
	parse_value(ps);
	if (!ps->failed && ps->c->n >= SHCONF_MAX_VARS && !find_var(ps->c, name))
		fail(ps, line, "more than %d variables", SHCONF_MAX_VARS);
	if (!ps->failed && set_var(ps, name, line) < 0)
		fail(ps, line, "out of memory");
}

/* One simple command: assignments up to a newline, ';' or comment. */
static void parse_command(struct parser *ps)
{
	int ch, first = 1;

	do {
		parse_assignment(ps, !first);
		first = 0;
		ch = skip_blanks(ps);
	} while (!ps->failed && !ends_word(ch) && ch != '#');
	if (ch == ';')
		advance(ps);
}

static void parse(struct parser *ps)
{
	int ch;

	while (!ps->failed) {
		ch = skip_blanks(ps);
		if (ch < 0)
			return;
		if (ch == '#')
			skip_comment(ps);
		else if (ch == '\n')
			advance(ps);
		else if (ch == ';')
			fail(ps, ps->line, "unexpected ';'");
		else
			parse_command(ps);
	}
}

/* CR and NUL would be kept or cut by sh in ways nobody means: refuse them
 * up front, naming the first line that has one. */
static int check_bytes(struct parser *ps)
{
	unsigned line = 1;

	for (const char *q = ps->p; q < ps->end; q++) {
		if (*q == '\n')
			line++;
		else if (*q == '\r')
			fail(ps, line, "carriage return (DOS line endings): save the file with Unix line endings");
		else if (*q == '\0')
			fail(ps, line, "NUL byte: this is not a text file");
		if (ps->failed)
			return -1;
	}
	return 0;
}

int shconf_parse_mem(struct shconf *c, const char *name, const char *text, size_t len)
{
	struct parser ps = { .c = c, .p = text, .end = text + len, .line = 1 };

	memset(c, 0, sizeof(*c));
	c->path = name;
	if (len > SHCONF_MAX_FILE) {
		fail(&ps, 1, "file larger than %d bytes", SHCONF_MAX_FILE);
		return -EINVAL;
	}
	ps.val = malloc(SHCONF_MAX_VALUE);
	if (!ps.val)
		return -ENOMEM;
	if (check_bytes(&ps) == 0)
		parse(&ps);
	free(ps.val);
	return ps.failed ? -EINVAL : 0;
}

static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

int shconf_parse_file(struct shconf *c, const char *path)
{
	char *buf;
	ssize_t len;
	int fd, rc;

	memset(c, 0, sizeof(*c));
	c->path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	buf = malloc(SHCONF_MAX_FILE + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	/* One byte more than allowed, to tell a full file from a long one. */
	len = read_all(fd, buf, SHCONF_MAX_FILE + 1);
	close(fd);
	rc = len < 0 ? (int)len : shconf_parse_mem(c, path, buf, (size_t)len);
	if (len < 0) {
		snprintf(c->error, sizeof(c->error), "%s: cannot read: %s", path, strerror((int)-len));
		log_err("%s", c->error);
	}
	free(buf);
	return rc;
}

void shconf_free(struct shconf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->vars[i].name);
		free(c->vars[i].value);
	}
	free(c->vars);
	c->vars = NULL;
	c->n = c->cap = 0;
}
