import { defineWineSuite } from './testing/wine-suite.ts';

defineWineSuite('ia32');
