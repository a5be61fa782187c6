// What a Rich header entry's product ID says, for the Visual Studio 2015 and later toolsets (all
// of them share MSVC 14.x / compiler 19.x ids, told apart by build number) and the two special
// ids. The ids are the community's reading of the undocumented header (richprint's table, used by
// rizin and pefile-based tools alike); older toolsets are left as numbers.
const VS2015_OR_LATER: readonly string[] = [
  'AliasObj1400: alias object', 'Cvtpgd1900: profile data converter', 'Cvtres1400: resource converter', 'Export1400: export file',
  'Implib1400: import library', 'Linker1400: the linker', 'Masm1400: assembler', 'Utc1900_C: C compiler', 'Utc1900_CPP: C++ compiler',
  'Utc1900_CVTCIL_C: C compiled to CIL', 'Utc1900_CVTCIL_CPP: C++ compiled to CIL', 'Utc1900_LTCG_C: C, link-time code generation',
  'Utc1900_LTCG_CPP: C++, link-time code generation', 'Utc1900_LTCG_MSIL: MSIL, link-time code generation',
  'Utc1900_POGO_I_C: C, profile-guided (instrumented)', 'Utc1900_POGO_I_CPP: C++, profile-guided (instrumented)',
  'Utc1900_POGO_O_C: C, profile-guided (optimised)', 'Utc1900_POGO_O_CPP: C++, profile-guided (optimised)',
];
const FIRST_VS2015_ID = 0xfd;

/** The tool a product ID stands for, in words; null for ids this table does not know. */
export function richProductName(productId: number): string | null {
  if (productId === 0) return 'unmarked objects';
  if (productId === 1) return 'Import0: imported functions (count of them)';
  const name = VS2015_OR_LATER[productId - FIRST_VS2015_ID];
  return name ? `${name} (VS 2015 or later)` : null;
}
