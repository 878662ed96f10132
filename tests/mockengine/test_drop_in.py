"""Drop-in: the same code gives the same results with mockengine as with unittest.mock.

Each scenario runs once with ``mock`` bound to ``unittest.mock`` and once to ``mockengine``;
what it prints (reprs, results, the type and message of what it raises) must be identical, ids
and addresses aside. mockengine behaves as the unittest.mock of Python 3.13, so the comparison
runs where that reference is (``make engine-pythons`` runs it under 3.13).
"""

from __future__ import annotations

import asyncio
import inspect
import re
import sys
import types
import unittest.mock

import pytest

import mockengine

pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 13), reason="the reference is unittest.mock of Python 3.13"
)

PRELUDE = """
class C:
    x = 1
    def f(self, a, b=2): pass
    @property
    def p(self): return 1

def g(a, *args, b, **kw): pass
"""

SCENARIOS = [
    "out(mock.Mock()._mock_foo, mock.Mock()._spec_foo, mock.Mock()._foo, mock.Mock().__foo)",
    "out(mock.create_autospec(len)([]), mock.create_autospec(print)(1, sep=''))",
    "out(mock.create_autospec(dict.get), mock.create_autospec(int)(5))",
    "out(mock.create_autospec(staticmethod(lambda a: 0))(1)); mock.create_autospec(object)().x",
    "out(sorted(dir(mock.AsyncMock())), sorted(dir(mock.NonCallableMagicMock(spec=int))))",
    "out(mock.ThreadingMock().child, mock.PropertyMock()(), mock.Mock(spec=['a']).__class__)",
    "out(mock.MagicMock(**{'__len__.return_value': 3}).__len__(), list(mock.MagicMock(spec=list)))",
    "mock.patch('os.nope').start()",
    "mock.patch('os').start()",
    "mock.patch('os.getcwd', new=1, new_callable=list)",
    "mock.patch('os.getcwd', spec=True, autospec=True).start()",
    "mock.patch.multiple('os')",
    "m = mock.Mock(); m(1); m.assert_has_calls([mock.call(2)])",
    "m = mock.Mock(); m(1); m.assert_has_calls([mock.call(2)], any_order=True)",
    "m = mock.Mock(spec=g); m(1, b=2); m.assert_has_calls([mock.call(1, 2, 3)])",
    "m = mock.Mock(spec=g); m(1, b=2); m.assert_has_calls([mock.call(1, b=2), mock.call()])",
    "m = mock.Mock(spec=g); m(1, b=2); m.assert_called_with(1)",
    "m = mock.Mock(spec=g); m(1, b=2); m.assert_any_call(1, 2, 3)",
    "m = mock.Mock(); m(1); m.assert_called_with(2)",
    "m = mock.Mock(); m(1); m(1); m.assert_called_once_with(1)",
    "m = mock.Mock(); m(1); m.assert_not_called()",
    "m = mock.Mock(); m.assert_called()",
    "m = mock.Mock(); m.assert_any_call(1)",
    "m = mock.Mock(name='x'); m.y(1); m.y.assert_called_once_with(2)",
    "m = mock.Mock(name='x'); m.y(1); m.y.assert_called_once(); m.y(2); m.y.assert_called_once()",
    (
        "m = mock.Mock(); "
        "m.a.b(1); "
        "m(2); "
        "m.c().d(x=3); "
        "out(m.mock_calls, m.method_calls, m.a.b.call_args)"
    ),
    "m = mock.MagicMock(); out(sorted(dir(m))[:40])",
    "m = mock.Mock(); m.x = 1; m.y; del m.z; out(sorted(dir(m)))",
    "m = mock.Mock(spec=dict); out(sorted(dir(m)))",
    "m = mock.Mock(name='n'); out(repr(m), repr(m.a), repr(m()), repr(m().b()))",
    "m = mock.MagicMock(spec_set=list); out(repr(m), repr(m.append), len(m))",
    "m = mock.NonCallableMagicMock(); out(repr(m), repr(m.a), repr(m.__str__))",
    "m = mock.Mock(); m(1); m(2); out(m.call_args_list, repr(m.call_args_list))",
    "m = mock.Mock(); m.assert_has_calls([])",
    "m = mock.Mock(return_value=1); m.side_effect = [1,2]; out(m(), m())",
    "m = mock.Mock(); m.side_effect = iter([1]); out(m()); m()",
    "m = mock.Mock(side_effect=KeyError('k')); m()",
    "m = mock.Mock(); m.return_value.x = 1; out(m().x, m.mock_calls)",
    "m = mock.MagicMock(); out(m[1], m.mock_calls); m[1] = 2; out(m.mock_calls)",
    "m = mock.MagicMock(); out(m + 1, 1 + m, m.mock_calls)",
    "m = mock.MagicMock(); m += 1; out(type(m).__name__)",
    "m = mock.MagicMock(); out(m < 1)",
    "m = mock.MagicMock(); m.__lt__.return_value = True; out(m < 1, m > 1)",
    "m = mock.MagicMock(); out(str(m)[:12], format(m, '')[:12] if False else 'skip')",
    "m = mock.MagicMock(); out(round(m), divmod(m, 2), abs(m), -m, ~m)",
    (
        "m = mock.MagicMock(); "
        "out(m.__class__.__name__, isinstance(m, mock.Mock), isinstance(m, mock.NonCallableMock))"
    ),
    "m = mock.Mock(spec=int); out(isinstance(m, int), m.__class__)",
    "m = mock.Mock(); m.__class__ = int; out(isinstance(m, int))",
    (
        "m = mock.create_autospec(dict); "
        "out(repr(m), repr(m()), repr(m.keys), m.keys.return_value.__class__.__name__)"
    ),
    (
        "m = mock.create_autospec(C); "
        "out(repr(m.x), repr(m.p), repr(m.f), m.f(1, 2) is m.f.return_value)"
    ),
    "m = mock.create_autospec(C); m.f(1); m.f.assert_called_with(1)",
    "m = mock.create_autospec(C()); m.f(1); out(m.mock_calls); m.f()",
    "m = mock.create_autospec(C, spec_set=True); m.zz = 1",
    "m = mock.create_autospec(C); m().f(a=1); out(m.mock_calls, m.return_value.f.call_args)",
    (
        "m = mock.create_autospec(g); "
        "m(1, 2, b=3, c=4); "
        "out(m.call_args, m.mock_calls); "
        "m.assert_called_once_with(1, 2, b=3, c=4); "
        "m(1)"
    ),
    "m = mock.Mock(); m.configure_mock(**{'a.b': 1, 'c.return_value': 2}); out(m.a.b, m.c())",
    "m = mock.Mock(); m.attach_mock(mock.Mock(), 'kid'); m.kid(1); out(m.mock_calls, repr(m.kid))",
    (
        "m = mock.Mock(); "
        "p = mock.PropertyMock(return_value=3); "
        "type(m).prop = p; "
        "out(m.prop, p.mock_calls)"
    ),
    "m = mock.Mock(); mock.seal(m); m.a",
    "m = mock.Mock(); m.a.b = 1; mock.seal(m); out(m.a.b); m.a.c",
    "m = mock.Mock(); mock.seal(m); m()",
    "m = mock.MagicMock(); m.__iter__.return_value = iter([1]); out(list(m), list(m))",
    "m = mock.MagicMock(); out(m.__aiter__, m.__aenter__)",
    (
        "m = mock.AsyncMock(); "
        "out(repr(m), repr(m.x), repr(m.return_value), inspect.iscoroutinefunction(m.x))"
    ),
    (
        "m = mock.AsyncMock(); "
        "c = m(1); "
        "asyncio.run(c); "
        "out(m.await_args_list, m.mock_calls, m.await_count)"
    ),
    "m = mock.AsyncMock(); m.assert_awaited_with(1)",
    "m = mock.AsyncMock(); asyncio.run(m(1)); m.assert_awaited_with(2)",
    "m = mock.AsyncMock(); asyncio.run(m(1)); m.assert_has_awaits([mock.call(2)])",
    "m = mock.AsyncMock(); asyncio.run(m(1)); m.assert_has_awaits([mock.call(2)], any_order=True)",
    "m = mock.AsyncMock(); asyncio.run(m(1)); m.assert_awaited_once_with(2)",
    "out(mock.call(1, a=2) == mock.call(1, a=2), mock.call.x(1) == mock.call.y(1))",
    "out(repr(mock.call.x.y), repr(mock.call()()), repr(mock.call(1)(2)))",
    "out(mock.call == mock.call(), mock.call() == mock.call, repr(mock.call.foo().bar))",
    "out(mock.call(1).call_list(), mock.call.x(1).y(2).call_list())",
    "m = mock.Mock(); m.assert_called_once_with()",
    "m = mock.Mock(); m(); m(); m.assert_called_once()",
    "m = mock.Mock(spec=['a']); m.b",
    "m = mock.Mock(spec=['a']); m.__len__",
    "m = mock.MagicMock(spec=['a']); len(m)",
    "m = mock.MagicMock(spec=['__len__']); out(len(m))",
    "m = mock.Mock(); out(m.called_once_with if False else 'x'); m.called_once_with",
    "m = mock.Mock(unsafe=True); out(type(m.called_once_with).__name__, type(m.assret_x).__name__)",
    "m = mock.Mock(wraps=lambda x: x * 2); out(m(3), m.call_args)",
    "m = mock.Mock(wraps=[1, 2]); out(m.count(1))",
    "m = mock.Mock(); m.reset_mock(); m.child.reset_mock(return_value=True); out(m.mock_calls)",
    (
        "m = mock.MagicMock(); "
        "out(m.__fspath__()[:11], m.__sizeof__() > 0, hash(m) == hash(m), bool(m), 3 in m)"
    ),
    "m = mock.MagicMock(); out(m == mock.ANY, mock.ANY == m, m != 3)",
    "m = mock.Mock(); m(mock.ANY); m.assert_called_with(5)",
    (
        "m = mock.mock_open(read_data='a\\nb'); "
        "h = m(); "
        "out(h.read(), h.readline(), list(h)); "
        "h2 = m(); "
        "out(h2.readlines(), m.mock_calls[:3])"
    ),
    "m = mock.mock_open(read_data='a\\nb'); h = m(); out(next(h), h.readline(), h.readline())",
    "m = mock.Mock(); m.method_calls.append(1); out(m.method_calls)",
    "m = mock.Mock(); out(m._mock_children, m._mock_name)",
    "m = mock.Mock(); out(m._something.__class__.__name__)",
    "m = mock.Mock(); m.__str__ = lambda self: 'hi'; out(str(m))",
    "m = mock.Mock(); m.__iter__ = mock.Mock(return_value=iter([1,2])); out(list(m))",
    "m = mock.MagicMock(); del m.__len__; len(m)",
    "m = mock.MagicMock(); m.__len__ = 5; len(m)",
    "m = mock.Mock(); m.__getattr__ = 1",
    "m = mock.Mock(spec=C); m.f(1); m.f.assert_called_with(a=1)",
    "m = mock.Mock(spec=C); out(m.f.__class__.__name__, repr(m.f))",
    "m = mock.create_autospec(C, instance=True); out(repr(m)); m()",
    "m = mock.create_autospec(lambda: 0); out(m.__name__, repr(m.mock))",
    "m = mock.create_autospec(C.f); m(1, 2); out(m.call_args); m(1)",
    "m = mock.Mock(); m.side_effect = mock.DEFAULT; out(m() is m.return_value)",
    "m = mock.Mock(); out(m(**{'name': 1}) is m.return_value, m.call_args.kwargs)",
    (
        "m = mock.Mock(name='foo', parent=None); "
        "out(m._mock_name, m.name.__class__.__name__ if hasattr(m, 'name') else None)"
    ),
    "m = mock.Mock(); out(repr(m.call_args), m.call_args_list, m.mock_calls)",
    (
        "m = mock.Mock(); "
        "m(1, b=2); "
        "out(m.call_args.args, m.call_args.kwargs, m.call_args[0], m.call_args[1]); "
        "out(len(m.call_args), tuple(m.call_args))"
    ),
    "m = mock.Mock(); m.a(1); out(m.mock_calls[0][0], m.mock_calls[0].args, len(m.mock_calls[0]))",
    "out(mock.sentinel.x, mock.DEFAULT, repr(mock.ANY))",
    "m = mock.MagicMock(); m.__enter__.return_value = 5",
    "m = mock.MagicMock(); out(m.__exit__(None, None, None), m.__len__(), m.__bool__())",
    "m = mock.Mock(spec=C); m.x = 2; m.new = 3; out(m.x, m.new)",
    "m = mock.Mock(spec_set=C); m.new = 3",
    "m = mock.Mock(); m.mock_add_spec(['a']); m.b",
    "m = mock.Mock(); m.mock_add_spec(['a'], spec_set=True); m.b = 1",
    "m = mock.Mock(spec=C); m.mock_add_spec(None); out(m.anything.__class__.__name__)",
    "m = mock.MagicMock(); m.a.b.c = 1; m.reset_mock(); out(m.a.b.c)",
    "m = mock.Mock(side_effect=lambda *a: mock.DEFAULT, return_value=2); out(m(1))",
    "m = mock.Mock(); m.return_value = m; out(m() is m, repr(m()))",
    "m = mock.Mock(); m.x.return_value = m; m.x(); out(m.mock_calls)",
    # What mockengine does differently to be fast, seen from outside.
    (
        "a = mock.create_autospec(C, instance=True); r = a.f.return_value; "
        "out(a.f(1) is r, repr(r), a.f(1).x(2), a.mock_calls, a.f.mock_calls)"
    ),
    "a = mock.create_autospec(C, instance=True); mock.seal(a); out(a.f.return_value); a.f(1).y",
    (
        "a = mock.create_autospec(C); a.return_value.f(1).z(); a.reset_mock(); "
        "out(a.return_value.f.return_value.mock_calls, a.mock_calls)"
    ),
    (
        "class D:\n    async def h(self, x): pass\n"
        "d = mock.create_autospec(D, instance=True); out(type(d.h.return_value).__name__)\n"
        "async def main(): return await d.h(1)\n"
        "out(asyncio.run(main()), d.h.await_args_list)"
    ),
    "out(mock.create_autospec(g)(1, 2, b=3)); mock.create_autospec(g)(1, 2)",
    "mock.create_autospec(C, instance=True).f(1, 2, 3)",
    "mock.create_autospec(C, instance=True).f(a=1, c=2)",
    (
        "m = mock.Mock(); m(1); m.a(2, k=3); call = mock.call; "
        "out(m.call_args == ((1,), {}), m.call_args == call(1), m.call_args != call(2), "
        "m.mock_calls == [('', (1,), {}), ('a', (2,), {'k': 3})], call.a(1) == call.b(1), "
        "m.mock_calls == [call(1), call.a(2, k=mock.ANY)], m.a.call_args == ('a', (2,)))"
    ),
    "m = mock.MagicMock(); out(type(m).__iter__ is m.__iter__, list(m), m.mock_calls)",
    (
        "m = mock.MagicMock(spec=C); "
        "out(sorted(n for n in type(m).__dict__ if n.startswith('__') and n != '__module__'))\n"
        "del m.__len__"
    ),
    (
        "m = mock.MagicMock(); len(m); m.mock_add_spec(['__iter__']); "
        "out(hasattr(m, '__len__'), list(m))"
    ),
    "m = mock.MagicMock(spec=['__len__'], spec_set=None); out(len(m)); m.__iter__",
    (
        "class MyMock(mock.MagicMock):\n"
        "    def __init__(self, thing, **kw):\n"
        "        super().__init__(**kw)\n"
        "m = MyMock(1); out(len(m), list(m), int(m), repr(m.child))"
    ),
    "m = mock.Mock(); c = m.child; del m.child; out(c); m.child",
    "m = mock.Mock(); c = m.child; m.mock_add_spec(['x']); m.child",
    "m = mock.Mock(); c = m.assret_x",
    "m = mock.Mock(unsafe=True); c = m.assret_x; out(m.assret_x is c)",
    (
        "d = {'a': 1}\n"
        "with mock.patch.dict(d, {'b': 2}, clear=True) as x: out(x is d, d)\n"
        "out(d)\n"
        "with mock.patch.dict(d, c=3): d['a'] = 9; raise KeyError('inside')"
    ),
    "d = {'a': 1}; p = mock.patch.dict(d, b=2); p.start(); out(d); p.stop(); out(d); p.stop()",
    (
        "m = mock.AsyncMock(side_effect=[1, KeyError('x')])\n"
        "async def main():\n"
        "    out(await m(1))\n"
        "    await m(2)\n"
        "asyncio.run(main())"
    ),
    (
        "m = mock.AsyncMock(return_value=5)\n"
        "async def main(): return [await m(i) for i in range(3)]\n"
        "out(asyncio.run(main()), m.await_count, m.await_args, m.await_args_list, m.mock_calls)"
    ),
    # Patching.
    "with mock.patch('os.getcwd', return_value='/x') as m: out(m, __import__('os').getcwd())",
    (
        "p = mock.patch.object(C, 'f', autospec=True); m = p.start(); c = C(); c.f(1)\n"
        "out(m.mock_calls); p.stop(); m.assert_called_once_with(c, 2)"
    ),
    (
        "@mock.patch('os.sep', '|')\n@mock.patch('os.getcwd')\n"
        "def t(getcwd): out(getcwd, __import__('os').sep)\nt()"
    ),
    (
        "@mock.patch('os.getcwd')\nclass T:\n"
        "    def test_a(self, g): out(g)\n    def helper(self, *a): out(a)\n"
        "T().test_a(); T().helper()"
    ),
    "with mock.patch.multiple(C, f=mock.DEFAULT, x=5) as made: out(made, C.x)",
    (
        "with mock.patch.object(C, 'p', new_callable=mock.PropertyMock, return_value=5) as p: "
        "out(C().p, p.mock_calls)"
    ),
    (
        "async def af(): pass\nns = types.SimpleNamespace(af=af)\n"
        "with mock.patch.object(ns, 'af') as m: out(m)"
    ),
    "mock.patch('os.getcwd', new=1, autospec=True).start()",
    "mock.patch('os.getcwd', spec=list, spec_set=list).start()",
    "mock.patch.object(C, 'missing').start()",
    "mock.patch('os.getcwd', autospect=True)",
    "mock.patch.object(C, 'f', spec=mock.Mock())",
    "d = {'a': 1}; mock.patch.dict(d, clear='yes').start(); out(d); mock.patch.stopall(); out(d)",
    "mock.patch.dict(42, a=1).start()",
    "mock.patch.dict('os.nope', a=1).start()",
    (
        "import os\na = mock.patch('os.getcwd'); b = mock.patch('os.sep', 'x'); "
        "a.start(); b.start(); out(os.sep); mock.patch.stopall(); out(os.sep, os.getcwd.__name__)"
    ),
    # ThreadingMock, mock_open, AsyncMock messages.
    "m = mock.ThreadingMock(timeout=0.01); m.wait_until_called()",
    "m = mock.ThreadingMock(timeout=0.01); m.child.wait_until_any_call_with(1, k=2)",
    (
        "o = mock.mock_open(read_data='a\\nb'); h = o(); "
        "out(h.read(), h.readline(), o.mock_calls, repr(h))"
    ),
    "o = mock.mock_open(read_data='a\\nb\\n'); out(list(o()), o().readlines(), o().readline())",
    "o = mock.mock_open(read_data=b'\\x00'); out(o().read(), o.return_value.read.call_count)",
    "m = mock.AsyncMock(); asyncio.run(m(1)); m.assert_awaited_once_with(2)",
    "m = mock.AsyncMock(); asyncio.run(m(1)); m.assert_has_awaits([mock.call(2)])",
    "m = mock.AsyncMock(); asyncio.run(m(1)); m.assert_not_awaited()",
    "m = mock.AsyncMock(name='f'); m.assert_awaited_once()",
]


def outcome(mock: types.ModuleType, scenario: str) -> str:
    """What the scenario shows, with ids, addresses and module paths made comparable."""
    shown: list[str] = []
    namespace = {"mock": mock, "asyncio": asyncio, "inspect": inspect, "types": types}
    namespace["out"] = lambda *values: shown.append(" | ".join(repr(v) for v in values))
    exec(PRELUDE, namespace)
    try:
        exec(scenario, namespace)
    except Exception as error:  # the scenario's outcome, compared below
        shown.append(f"raised {type(error).__name__}: {error}")
    text = "\n".join(shown)
    text = re.sub(r"id='?\d+'?", "id=ID", text)
    text = re.sub(r"0x[0-9a-f]+", "0xADDR", text)
    text = re.sub(r"/\d{6,}", "/ID", text)
    return re.sub(r"\b(?:unittest\.mock|mockengine\._\w+)\.", "", text)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_mockengine_behaves_as_unittest_mock(scenario: str) -> None:
    assert outcome(mockengine, scenario) == outcome(unittest.mock, scenario)
