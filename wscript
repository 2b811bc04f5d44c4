#!/usr/bin/env python3
# cyclebus build: the plugin bundle, the host tools, the tests and the benchmarks.
# Sources are found by folder (see README "Layout"), so a new module file, tool,
# test or benchmark needs no change here. Helpers start with '_': waf takes
# every other top-level function of this file for a command.
import os
import re
import subprocess
import sys

from waflib import Build, Context, Logs, Options, Utils

APPNAME = 'cyclebus'
VERSION = '0.1.0'
top = '.'
out = 'build'

CORE_MODULES = ['pattern', 'program', 'synth', 'orbits', 'voices', 'presynth', 'samples']
WARNINGS = ['-Wall', '-Wextra', '-Wshadow', '-Wconversion', '-Wno-sign-conversion']


def options(opt):
    opt.load('compiler_c')
    opt.add_option('--lv2dir', default='', help='install the bundle here (default PREFIX/lib/lv2)')
    opt.add_option('--lv2-user', action='store_true', default=False, help='install into ~/.lv2')
    # optparse has no optional values: a bare --sanitize is spelled out first.
    sys.argv = ['--sanitize=address' if arg == '--sanitize' else arg for arg in sys.argv]
    opt.add_option('--sanitize', choices=['address', 'thread'], default=None,
                   metavar='address|thread',
                   help='--sanitize (or =address): AddressSanitizer and UndefinedBehaviorSanitizer; '
                   '--sanitize=thread: ThreadSanitizer')
    opt.add_option('--fuzz', action='store_true', default=False,
                   help='also build the libFuzzer targets in fuzz/ (needs clang)')
    opt.add_option('--debug', action='store_true', default=False, help='-O0 -g')


def configure(conf):
    conf.load('compiler_c')
    for pkg, store in [('lv2', 'LV2'), ('lilv-0', 'LILV'), ('serd-0', 'SERD'),
                       ('sndfile', 'SNDFILE'), ('samplerate', 'SAMPLERATE'),
                       ('check', 'CHECK')]:
        conf.check_cfg(package=pkg, uselib_store=store, args=['--cflags', '--libs'])
    # The UI (ui/) and its tests: X11 + cairo, XTest to type into it.
    for pkg, store in [('x11', 'X11'), ('cairo', 'CAIRO'), ('xtst', 'XTST')]:
        conf.check_cfg(package=pkg, uselib_store=store, args=['--cflags', '--libs'])
    conf.find_program('lv2_validate', var='LV2_VALIDATE', mandatory=False)
    conf.find_program('clang', var='CLANG', mandatory=False)
    opt = Options.options
    # no FMA contraction: the fused synth kernels must round as the interpreter does
    flags = ['-std=c11', '-D_XOPEN_SOURCE=700', '-fPIC', '-g', '-ffp-contract=off',
             '-fvect-cost-model=cheap'] + WARNINGS
    flags += ['-O0'] if opt.debug else ['-O2']
    conf.env.append_unique('CFLAGS', flags)
    conf.env.append_unique('LIB', ['m', 'pthread'])
    if opt.sanitize:
        kinds = 'thread' if opt.sanitize == 'thread' else 'address,undefined'
        san = ['-fsanitize=' + kinds, '-fno-omit-frame-pointer']
        conf.env.append_unique('CFLAGS', san)
        conf.env.append_unique('LINKFLAGS', san)
    conf.env.FUZZ = opt.fuzz
    if opt.lv2_user:
        conf.env.LV2DIR = os.path.join(os.path.expanduser('~'), '.lv2')
    elif opt.lv2dir:
        conf.env.LV2DIR = os.path.abspath(opt.lv2dir)
    else:
        conf.env.LV2DIR = os.path.join(conf.env.PREFIX, 'lib', 'lv2')


def _c_string(text):
    """Text as a C string literal, one source line per program line."""
    out = []
    for line in text.splitlines(True):
        esc = line.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
        out.append('"%s"' % esc)
    return '\n'.join(out) if out else '""'


def _turtle_string(text):
    """Text as a Turtle long string (\"\"\"...\"\"\") with the escapes Turtle needs."""
    return '"""' + text.replace('\\', '\\\\').replace('"', '\\"') + '"""'


def _gen_default_program_h(task):
    text = task.inputs[0].read()
    task.outputs[0].write('/* Generated from ttl/default.cb by wscript: the default program. */\n'
                          'static const char cb_default_program[] =\n%s;\n' % _c_string(text))


def _gen_prelude_h(task):
    """The prelude's text, and the names of the buses it defines (its lines
    starting with ~name), in order."""
    text = task.inputs[0].read()
    names = [re.match(r'~([A-Za-z0-9_]*)', line).group(1)
             for line in text.split('\n') if line.startswith('~')]
    table = ''.join('    {"%s", %d},\n' % (name, len(name)) for name in names)
    task.outputs[0].write('/* Generated from plugin/program/prelude.cb by wscript: the prelude. */\n'
                          'static const char prog_prelude_text[] =\n%s;\n'
                          'static const struct {\n  const char *name;\n  size_t length;\n}'
                          ' prog_prelude_buses[] = {\n%s};\n' % (_c_string(text), table))


def _gen_plugin_ttl(task):
    text = task.inputs[1].read()
    ttl = task.inputs[0].read().replace('@DEFAULT_PROGRAM@', _turtle_string(text))
    task.outputs[0].write(ttl + _stems_ttl(ttl, task.inputs[2].read()))


def _stems_ttl(ttl, template, orbits=8, first_port=23):
    """The multi-out plugin: the plugin's description under urn:cyclebus:stems
    (one source for the ports they share) plus ttl/stems.ttl.in's group and
    stereo pair for each orbit."""
    start = ttl.index('<urn:cyclebus:cyclebus>\n\ta lv2:InstrumentPlugin')
    plugin = ttl[start:].rstrip()
    assert plugin.endswith('] .'), 'the plugin description must end with its last port'
    plugin = plugin.replace('<urn:cyclebus:cyclebus>', '<urn:cyclebus:stems>', 1)
    plugin = plugin.replace('doap:name "cyclebus"', 'doap:name "cyclebus (multi-out)"', 1)
    group = template.split('@GROUP@')[1].split('@PORTS@')[0]
    pair = template.split('@PORTS@')[1].rstrip()
    groups, pairs = [], []
    for o in range(orbits):
        fields = {'@O@': str(o), '@LEFT@': str(first_port + 2 * o),
                  '@RIGHT@': str(first_port + 2 * o + 1)}
        g, p = group, pair
        for key, value in fields.items():
            g, p = g.replace(key, value), p.replace(key, value)
        groups.append(g)
        pairs.append(p.strip())
    return '\n' + ''.join(groups) + '\n' + plugin[:-1] + ', ' + ' , '.join(pairs) + ' .\n'


def build(bld):
    bundle = 'lv2/cyclebus.lv2'
    includes = ['.', 'plugin', bld.bldnode.abspath()]

    bld(rule=_gen_default_program_h, source='ttl/default.cb', target='default_program.h')
    bld(rule=_gen_prelude_h, source='plugin/program/prelude.cb', target='prelude_program.h')
    # The oscillators' BLEP tables, computed once here (a program of its own,
    # in a folder of plugin/synth/ that the library does not take).
    bld.program(source='plugin/synth/tables/gen_blep_tables.c', target='tools/gen_blep_tables',
                includes=includes, install_path=None)
    bld(rule='${SRC[0].abspath()} > ${TGT}', source='tools/gen_blep_tables',
        target='synth_blep_tables.h')
    bld(rule=_gen_plugin_ttl, source=['ttl/cyclebus.ttl.in', 'ttl/default.cb', 'ttl/stems.ttl.in'],
        target=bundle + '/cyclebus.ttl')
    bld(features='subst', source='ttl/manifest.ttl.in', target=bundle + '/manifest.ttl',
        LIB_EXT='.so')
    bld(features='subst', source='plugin/samples/samples-aliases.txt',
        target=bundle + '/samples-aliases.txt', is_copy=True)

    core = []
    for module in CORE_MODULES:
        core += bld.path.ant_glob('plugin/%s/*.c' % module)
    # The transport clock, MIDI out and the look-ahead's kept events need no
    # host: they are in the core, so tests reach them.
    standalone = ['plugin/lv2/clock.c', 'plugin/lv2/midi_out.c', 'plugin/lv2/seen_events.c']
    core += [bld.path.find_node(path) for path in standalone + ['plugin/prefault.c']]
    bld.stlib(source=core, target='cyclebus_core', includes=includes,
              use=['LV2', 'SNDFILE', 'SAMPLERATE'])

    # Only lv2_descriptor is exported (version script); everything else is hidden.
    bld.shlib(source=bld.path.ant_glob('plugin/lv2/*.c', excl=standalone), target=bundle + '/cyclebus',
              includes=includes, use=['cyclebus_core', 'LV2'], cflags=['-fvisibility=hidden'],
              linkflags=['-Wl,--version-script=' + bld.path.find_node('plugin/lv2/exports.map').abspath()],
              install_path=None)
    bld.env.cshlib_PATTERN = '%s.so'

    host = bld.path.ant_glob('tools/host/*.c')
    if host:
        bld.stlib(source=host, target='cyclebus_host', includes=includes,
                  use=['cyclebus_core', 'LV2', 'LILV', 'SERD', 'SNDFILE'])
    tool_use = ['cyclebus_host', 'cyclebus_core', 'LV2', 'LILV', 'SERD', 'SNDFILE']
    for tool in bld.path.ant_glob('tools/cyclebus-*.c'):
        bld.program(source=[tool], target=tool.name[:-2], includes=includes, use=tool_use,
                    install_path=None)
    for test in bld.path.ant_glob('tests/test_*.c'):
        bld.program(source=[test], target='tests/' + test.name[:-2], includes=includes,
                    use=tool_use + ['CHECK'], install_path=None)
    for bench in bld.path.ant_glob('bench/bench_*.c'):
        bld.program(source=[bench], target='bench/' + bench.name[:-2], includes=includes,
                    use=tool_use, install_path=None)
    if bld.env.FUZZ:
        _build_fuzzers(bld, core, includes)
    _build_ui(bld, bundle, includes)

    # Installation: the plugin bundle (with its UI) and the preset bundle, all
    # into the one folder that the install-time options name (_install_dir).
    lv2dir = _install_dir(bld)
    bld.install_files(os.path.join(lv2dir, 'cyclebus.lv2'),
                      [bundle + '/' + name for name in ('manifest.ttl', 'cyclebus.ttl',
                                                        'cyclebus.so', 'cyclebus_ui.ttl',
                                                        'cyclebus_ui.so', 'samples-aliases.txt')])
    bld.install_files(os.path.join(lv2dir, 'cyclebus-presets.lv2'),
                      bld.path.ant_glob('presets/cyclebus-presets.lv2/*.ttl'))


def _install_dir(bld):
    """--lv2-user and --lv2dir work at install time as well as at configure."""
    if Options.options.lv2_user:
        return os.path.join(os.path.expanduser('~'), '.lv2')
    if Options.options.lv2dir:
        return os.path.abspath(Options.options.lv2dir)
    return bld.env.LV2DIR


def _build_ui(bld, bundle, includes):
    """The UI: cyclebus_ui.so (only lv2ui_descriptor exported) and its TTL in
    the bundle; the UI tests (tests/test_ui*.c) also link X11, cairo, XTest."""
    bld(features='subst', source='ttl/cyclebus_ui.ttl', target=bundle + '/cyclebus_ui.ttl',
        is_copy=True)
    ui_use = ['cyclebus_core', 'LV2', 'X11', 'CAIRO']
    # A static library, so a unit test pulls only the parts it calls.
    bld.stlib(source=bld.path.ant_glob('ui/*.c', excl=['ui/lv2ui.c']), target='cyclebus_ui_parts',
              includes=includes, use=ui_use, cflags=['-fvisibility=hidden'])
    bld.shlib(source=['ui/lv2ui.c'], target=bundle + '/cyclebus_ui', includes=includes,
              use=['cyclebus_ui_parts'] + ui_use, cflags=['-fvisibility=hidden'],
              linkflags=['-Wl,-z,defs',
                         '-Wl,--version-script=' + bld.path.find_node('ui/exports.map').abspath()],
              install_path=None)
    for test in bld.path.ant_glob('tests/test_ui*.c'):
        tg = bld.get_tgen_by_name('tests/' + test.name[:-2])
        tg.use = ['cyclebus_ui_parts'] + tg.use + ['X11', 'CAIRO', 'XTST']


def _build_fuzzers(bld, core, includes):
    """libFuzzer targets: fuzz/*.c compiled with the core by clang."""
    # the headers the build generates, which the core includes: made first
    generated = [bld.path.find_or_declare(h) for h in ('prelude_program.h', 'synth_blep_tables.h')]
    for target in bld.path.ant_glob('fuzz/fuzz_*.c'):
        srcs = ' '.join(n.abspath() for n in [target] + core)
        incs = ' '.join('-I' + (i if os.path.isabs(i) else bld.path.find_dir(i).abspath())
                        for i in includes)
        bld(rule='${CLANG} -std=c11 -D_XOPEN_SOURCE=700 -g -O1 '
                 '-fsanitize=fuzzer,address,undefined %s %s -lm -o ${TGT}' % (incs, srcs),
            source=[target] + core + generated, target='fuzz/' + target.name[:-2])


class TestContext(Build.BuildContext):
    """builds, then runs the tests (CB_TESTS=REGEX: those whose names it matches); fails if any fails"""
    cmd = 'test'
    fun = 'build'

    def execute(self):
        super().execute()
        _run_tests(self)


def _run_tests(bld):
    topdir = bld.path.abspath()
    blddir = bld.bldnode.abspath()
    env = dict(os.environ)
    env['CB_TOP'] = topdir
    env['CB_BUILD'] = blddir
    # Only the built bundles: presets/ also holds make-presets.sh and src/, which lilv
    # would report as broken bundles in every test; test_presets loads its bundle itself.
    env['LV2_PATH'] = os.path.join(blddir, 'lv2')
    env.setdefault('CK_DEFAULT_TIMEOUT', '600')
    env.setdefault('LSAN_OPTIONS', 'suppressions=' + os.path.join(topdir, 'tests', 'lsan.supp'))
    passed = failed = 0
    for node in _selected_tests(bld):
        name = _test_name(node)
        if node.name.endswith('.c'):
            cmd = [os.path.join(blddir, 'tests', name)]
        else:
            cmd = ['bash', node.abspath()]
        Logs.info('--- %s' % name)
        proc = subprocess.run(cmd, cwd=topdir, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True)
        output = proc.stdout
        summary = re.findall(r'^\d+%: Checks: (\d+), Failures: (\d+), Errors: (\d+)$', output, re.M)
        if summary:
            for checks, failures, errors in summary:
                bad = int(failures) + int(errors)
                passed += int(checks) - bad
                failed += bad
            if proc.returncode != 0 and not any(int(f) + int(e) for _, f, e in summary):
                failed += 1
        elif proc.returncode == 77:
            Logs.warn('%s: skipped' % name)
        elif proc.returncode == 0:
            passed += 1
        else:
            failed += 1
        for line in _shown_lines(name, output, proc.returncode):
            print(line)
    print('%d passed, %d failed' % (passed, failed))
    if failed:
        bld.fatal('%d test(s) failed' % failed)


def _test_name(node):
    return node.name.rsplit('.', 1)[0]


def _selected_tests(bld):
    """tests/test_*.c and tests/test_*.sh, or those whose names the regular
    expression CB_TESTS finds; one that finds none is an error, not 0 tests."""
    tests = sorted(bld.path.ant_glob('tests/test_*.c') + bld.path.ant_glob('tests/test_*.sh'),
                   key=lambda n: n.name)
    only = os.environ.get('CB_TESTS', '')
    if not only:
        return tests
    try:
        pattern = re.compile(only)
    except re.error as error:
        bld.fatal("CB_TESTS='%s' is not a regular expression: %s" % (only, error))
    chosen = [node for node in tests if pattern.search(_test_name(node))]
    if not chosen:
        bld.fatal("CB_TESTS='%s' matches no test; the tests are: %s"
                  % (only, ' '.join(_test_name(node) for node in tests)))
    return chosen


def _shown_lines(name, output, returncode):
    """What ./waf test shows of a test's output: its checks and verdicts, or
    the last 40 lines of a failed test; and always the failed attempts of a
    test that retries (lines 'RETRY n/N| ...', see tests/hosts/common.sh),
    so that what a failed attempt saw is not lost when a later one passes."""
    lines = output.splitlines()
    retried = [line for line in lines if line.startswith('RETRY ')]
    if returncode not in (0, 77):
        return [line for line in retried if line not in lines[-40:]] + lines[-40:]
    shown = [line for line in lines
             if re.match(r'^\d+%: Checks', line) or ':F:' in line or ':E:' in line
             or line.startswith(('PASS', 'FAIL', 'SKIP'))]
    if retried:
        shown = ['%s: an attempt failed before one passed; the failed attempts printed:'
                 % name] + retried + shown
    return shown
