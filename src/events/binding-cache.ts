import { Catalog } from '../model/catalog';
import { EventBinding, loadEventBinding } from './binding-rules';

const loaded = new WeakMap<Catalog, EventBinding>();

/** The binding rules checked against this catalog, read once per catalog (the app reads them at start-up). */
export function eventBindingFor(catalog: Catalog): EventBinding {
  let binding = loaded.get(catalog);
  if (!binding) {
    binding = loadEventBinding(catalog);
    loaded.set(catalog, binding);
  }
  return binding;
}
