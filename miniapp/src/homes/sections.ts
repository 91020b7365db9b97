import type { HomeKind } from '../../../shared/roles';
import type { MessageKey } from '../i18n';

/** One section of a home screen. */
export interface HomeSectionDef {
  /** Stable id, used in `data-testid="section-<id>"` and by the feature that will fill it. */
  id: string;
  title: MessageKey;
  description: MessageKey;
}

/**
 * What each role's home lists, in order. Every section has content (`SECTION_CONTENT` in
 * `HomePage.tsx`); a part with nothing in it says what will appear there and why.
 */
export const HOME_SECTIONS: Record<HomeKind, readonly HomeSectionDef[]> = {
  // The candidate's home is one next-step card (CandidateHome), not a list of sections.
  candidate: [],
  interviewer: [
    {
      id: 'interviewer-schedule',
      title: 'section.interviewer.schedule',
      description: 'section.interviewer.schedule.desc',
    },
    {
      id: 'interviewer-today',
      title: 'section.interviewer.today',
      description: 'section.interviewer.today.desc',
    },
    {
      id: 'interviewer-pending',
      title: 'section.interviewer.pending',
      description: 'section.interviewer.pending.desc',
    },
  ],
  hr: [
    { id: 'hr-today', title: 'section.hr.today', description: 'section.hr.today.desc' },
    { id: 'hr-candidates', title: 'section.hr.candidates', description: 'section.hr.candidates.desc' },
    { id: 'hr-jobs', title: 'section.hr.jobs', description: 'section.hr.jobs.desc' },
    { id: 'hr-bookings', title: 'section.hr.bookings', description: 'section.hr.bookings.desc' },
    { id: 'hr-reviews', title: 'section.hr.reviews', description: 'section.hr.reviews.desc' },
    { id: 'hr-quality', title: 'section.hr.quality', description: 'section.hr.quality.desc' },
    { id: 'hr-delivery', title: 'section.hr.delivery', description: 'section.hr.delivery.desc' },
    { id: 'hr-org', title: 'section.hr.org', description: 'section.hr.org.desc' },
  ],
  manager: [
    {
      id: 'manager-approvals',
      title: 'section.manager.approvals',
      description: 'section.manager.approvals.desc',
    },
    {
      id: 'interviewer-schedule',
      title: 'section.interviewer.schedule',
      description: 'section.interviewer.schedule.desc',
    },
    {
      id: 'manager-candidates',
      title: 'section.manager.candidates',
      description: 'section.manager.candidates.desc',
    },
  ],
};
