// The journey gallery's public face: the recipes and the pure helpers that install one.
export { RECIPES, recipeById, templateContent, renamedDefinition, freeId, type Recipe } from './recipes.ts';
