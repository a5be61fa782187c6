import { defineWineSuite } from './testing/wine-suite.ts';

defineWineSuite('x64');
